/** Ferry bench. */
package dev.ferry.bench;
