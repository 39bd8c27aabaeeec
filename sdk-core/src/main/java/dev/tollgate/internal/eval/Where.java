package dev.tollgate.internal.eval;

/** A problem's location: a field path or a top-level key, then segments such as {@code rule "pro"}. */
final class Where {
    static final Where ROOT = new Where(null, "");

    private final Where parent;
    private final String segment;

    private Where(Where parent, String segment) {
        this.parent = parent;
        this.segment = segment;
    }

    static Where field(String path) {
        return new Where(ROOT, path);
    }

    Where child(String name) {
        return new Where(this, name);
    }

    @Override
    public String toString() {
        if (parent == null) {
            return "";
        }
        String head = parent.toString();
        return head.isEmpty() ? segment : head + ": " + segment;
    }
}
