/** Ferry runtime. */
package dev.ferry.runtime;
