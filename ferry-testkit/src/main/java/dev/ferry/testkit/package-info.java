/** Ferry testkit. */
package dev.ferry.testkit;
