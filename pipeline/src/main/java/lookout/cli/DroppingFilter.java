package lookout.cli;

import org.apache.logging.log4j.core.filter.AbstractFilter;

/**
 * A filter of the commands' log configuration: by default it drops the events it matches and leaves every other to
 * the rest of the configuration. Its properties format always passes both results to a filter's factory, null where
 * the configuration sets none.
 */
abstract class DroppingFilter extends AbstractFilter {
    DroppingFilter(Result onMatch, Result onMismatch) {
        super(onMatch == null ? Result.DENY : onMatch, onMismatch == null ? Result.NEUTRAL : onMismatch);
    }
}
