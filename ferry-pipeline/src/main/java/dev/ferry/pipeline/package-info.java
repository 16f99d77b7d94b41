/** Ferry pipeline. */
package dev.ferry.pipeline;
