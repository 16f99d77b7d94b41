package dev.ferry.gateway.event;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Checks event timestamps: ISO-8601 date-times with an offset, exactly as {@link
 * DateTimeFormatter#ISO_OFFSET_DATE_TIME} reads them. The common shape ({@code
 * 2026-12-01T09:30:00.123Z}, {@code ...+01:00}) is checked by hand, several times faster than
 * parsing; anything else is left to the formatter, which has the last word.
 */
final class Timestamps {
  private Timestamps() {}

  /** The instant of {@code text}, which {@link #isInstant} accepted, in epoch milliseconds. */
  static long epochMilli(String text) {
    return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
        .toInstant()
        .toEpochMilli();
  }

  /** True when {@code text} is an ISO-8601 date-time with an offset. */
  static boolean isInstant(String text) {
    if (isCommonInstant(text)) {
      return true;
    }
    try {
      OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /**
   * True only for a valid {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|+HH:MM|-HH:MM)}; false means "not
   * this shape", which the formatter then decides.
   */
  static boolean isCommonInstant(String s) {
    int n = s.length();
    if (n < 20
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return false;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > days(year, month)) {
      return false;
    }
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return false;
    }
    int i = 19;
    if (s.charAt(i) == '.') {
      int from = ++i;
      while (i < n && i - from < 10 && isDigit(s.charAt(i))) {
        i++;
      }
      if (i == from || i - from > 9) {
        return false;
      }
    }
    if (i == n - 1) {
      return s.charAt(i) == 'Z';
    }
    if (i != n - 6 || (s.charAt(i) != '+' && s.charAt(i) != '-') || s.charAt(i + 3) != ':') {
      return false;
    }
    int offsetHours = digits(s, i + 1, 2);
    int offsetMinutes = digits(s, i + 4, 2);
    return offsetHours >= 0
        && offsetMinutes >= 0
        && offsetMinutes <= 59
        && (offsetHours < 18 || (offsetHours == 18 && offsetMinutes == 0));
  }

  private static int days(int year, int month) {
    switch (month) {
      case 2:
        boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        return leap ? 29 : 28;
      case 4:
      case 6:
      case 9:
      case 11:
        return 30;
      default:
        return 31;
    }
  }

  /** The number written by {@code count} ASCII digits at {@code from}, or -1. */
  private static int digits(String s, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
