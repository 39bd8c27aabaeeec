package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * Metered usage in the admin API, under {@code /v1/admin/environments/{env}/meters}: the rows of one counting key, the
 * keys of one field that used the most, a one-off grant on top of the limit for the current period, and a reset of
 * what was used in it. Viewers read; editors grant and reset, each write audited ({@code usage.grant}, {@code
 * usage.reset}) with the meter as its target. Grants and resets act on the period that contains the server's clock.
 */
final class MeterApi {
    private static final String METERS = "/v1/admin/environments/{env}/meters";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1_000;
    private static final List<String> RESET_KEYS = List.of("field", "arguments", "key", "period", "message");
    private static final List<String> GRANT_KEYS = List.of("field", "arguments", "key", "period", "amount", "message");

    private final LogicStore store;
    private final MeterStore meters;
    private final MeterEvents events;
    private final AuditLog audit;
    private final int maxBodyBytes;

    MeterApi(LogicStore store, MeterStore meters, MeterEvents events, AuditLog audit, int maxBodyBytes) {
        this.store = store;
        this.meters = meters;
        this.events = events;
        this.audit = audit;
        this.maxBodyBytes = maxBodyBytes;
    }

    void register(Router r) {
        r.add("GET", METERS, Router.Access.VIEWER, this::list);
        r.add("POST", METERS + "/grants", Router.Access.EDITOR, this::grant);
        r.add("POST", METERS + "/reset", Router.Access.EDITOR, this::reset);
    }

    /**
     * {@code ?key=org_1}: that counting key's rows of current periods, by field, arguments and period; {@code
     * ?field=entitlements.maxApiRequestsPerDay}: that field's rows of current periods, the most used first. At most
     * {@code limit} rows (default {@value #DEFAULT_LIMIT}, at most {@value #MAX_LIMIT}).
     */
    private void list(Call call) throws IOException {
        String key = call.query("key", null);
        String field = call.query("field", null);
        if ((key == null) == (field == null)) {
            throw ApiException.badRequest("give either key (a counting key) or field (a field path), was "
                    + (key == null ? "neither" : "both"));
        }
        long limit = call.queryLong("limit", DEFAULT_LIMIT);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("limit must be 1 to " + MAX_LIMIT + ", was " + limit);
        }
        Instant now = meters.now();
        ObjectNode body = store.db().read(c -> {
            LogicStore.Environment env = store.environment(c, call.param("env"));
            List<MeterRow> rows = key != null
                    ? meters.ofKey(c, env.id(), key, now, (int) limit)
                    : meters.topOfField(c, env.id(), field, now, (int) limit);
            ObjectNode result = Json.object();
            result.put("environment", env.name());
            result.put("now", now.toString());
            result.put(key != null ? "key" : "field", key != null ? key : field);
            result.put("limit", limit);
            result.set("usage", MeterRow.toJson(rows));
            return result;
        });
        call.json(200, body);
    }

    /**
     * {@code {"field", "arguments", "key", "period", "amount", "message"}}: adds {@code amount} to the {@code extra} of
     * the meter's current period.
     */
    private void grant(Call call) throws IOException {
        JsonNode body = body(call, GRANT_KEYS, "usage grant");
        Meter meter = currentMeter(body, "usage grant: ");
        long amount = MeterInput.amount(body, "usage grant: ");
        write(
                call,
                body,
                meter,
                "usage.grant",
                (c, env) -> meters.grant(c, env, meter, amount),
                changed -> "extra +" + amount + " -> " + changed.after().extra());
    }

    /** {@code {"field", "arguments", "key", "period", "message"}}: sets the {@code used} of the current period to 0. */
    private void reset(Call call) throws IOException {
        JsonNode body = body(call, RESET_KEYS, "usage reset");
        Meter meter = currentMeter(body, "usage reset: ");
        write(
                call,
                body,
                meter,
                "usage.reset",
                (c, env) -> meters.reset(c, env, meter),
                changed -> "used " + changed.before().used() + " -> "
                        + changed.after().used());
    }

    /** One meter write in environment {@code env}, inside the caller's transaction. */
    @FunctionalInterface
    private interface MeterWrite {
        MeterStore.Changed apply(Connection c, long env) throws SQLException;
    }

    private record Written(String environment, MeterStore.Changed changed) {}

    /**
     * Applies {@code write} with its audit entry in one transaction (the entry's detail is {@code detail} of the change,
     * then the message), announces the new version, and answers the row.
     */
    private void write(
            Call call,
            JsonNode body,
            Meter meter,
            String action,
            MeterWrite write,
            Function<MeterStore.Changed, String> detail)
            throws IOException {
        String message = Requests.message(call, body);
        LogicApi.checkField(store, meter.field());
        Written written = store.db().transaction(c -> {
            LogicStore.Environment env = store.environment(c, call.param("env"));
            MeterStore.Changed changed = write.apply(c, env.id());
            String text = detail.apply(changed) + (message.isEmpty() ? "" : ": " + message);
            audit.record(c, call.principal(), call.clientAddress(), action, env.name(), target(meter), text);
            return new Written(env.name(), changed);
        });
        events.publishLocal(written.environment(), written.changed().after().version());
        call.json(200, written.changed().after().toJson());
    }

    /**
     * The audit target, such as {@code entitlements.maxApiRequestsPerDay {"endpoint":"search"} key=org_1 DAY
     * 2026-12-06T00:00:00Z}.
     */
    static String target(Meter meter) {
        return meter.field() + " " + meter.argsKey() + " key=" + meter.key() + " " + meter.period() + " "
                + meter.periodStart();
    }

    /** The body, a JSON object with no other keys than {@code keys}. */
    private JsonNode body(Call call, List<String> keys, String what) throws IOException {
        JsonNode body = Requests.object(call, maxBodyBytes);
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!keys.contains(name)) {
                String last = keys.get(keys.size() - 1);
                throw ApiException.badRequest("unknown key \"" + name + "\" in a " + what + "; the keys are "
                        + String.join(", ", keys.subList(0, keys.size() - 1)) + " and " + last);
            }
        }
        return body;
    }

    /** The meter a grant or reset names, in the period of its kind that contains the server's clock. */
    private Meter currentMeter(JsonNode body, String where) {
        MeterPeriod period = MeterInput.period(body, where);
        return new Meter(
                MeterInput.text(body, "field", where),
                MeterInput.argsKey(body, where),
                MeterInput.text(body, "key", where),
                period,
                period.start(meters.now()));
    }
}
