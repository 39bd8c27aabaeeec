package dev.tollgate.internal.eval;

/** A problem's location: a field path or a top-level key, then segments such as {@code rule "pro"}. */
final class Where {
    static final Where ROOT = new Where(null, "");

    private final Where parent;
    private final String segment;
    private final String key;

    private Where(Where parent, String segment) {
        this(parent, segment, null);
    }

    private Where(Where parent, String segment, String key) {
        this.parent = parent;
        this.segment = segment;
        this.key = key;
    }

    static Where field(String path) {
        return new Where(ROOT, path);
    }

    Where child(String name) {
        return new Where(this, name);
    }

    /** A child for one row of a table, {@code key "org_42"}; the text is only built if a problem is reported. */
    Where key(String rowKey) {
        return new Where(this, null, rowKey);
    }

    @Override
    public String toString() {
        if (parent == null) {
            return "";
        }
        String head = parent.toString();
        String own = key == null ? segment : "key " + Problems.quote(key);
        return head.isEmpty() ? own : head + ": " + own;
    }
}
