package dev.tollgate.internal.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyTableTest {
    private static final Object REMOVED = new Object();

    @Test
    void get_findsEveryRowPut_andNoRowForOtherKeys() {
        KeyTable.Builder builder = new KeyTable.Builder(10_000);
        for (int i = 0; i < 10_000; i++) {
            assertThat(builder.putIfAbsent("org_" + i, i)).isNull();
        }
        KeyTable table = builder.build();

        assertThat(table.size()).isEqualTo(10_000);
        for (int i = 0; i < 10_000; i++) {
            assertThat(table.get(new String("org_" + i))).isEqualTo(i);
        }
        for (int i = 10_000; i < 20_000; i++) {
            assertThat(table.get("org_" + i)).isNull();
        }
        assertThat(table.get("")).isNull();
    }

    @Test
    void putIfAbsent_keepsTheFirstRow_andReturnsIt() {
        KeyTable.Builder builder = new KeyTable.Builder(2);
        String first = new String("org_1");
        String equal = new String("org_1");

        assertThat(builder.putIfAbsent(first, first)).isNull();
        assertThat(builder.putIfAbsent(equal, equal)).isSameAs(first);
        assertThat(builder.putIfAbsent("org_2", "two")).isNull();
        assertThat(builder.size()).isEqualTo(2);

        KeyTable table = builder.build();
        assertThat(table.get(equal)).isSameAs(first);
        assertThat(table.keys()).hasSize(2).anySatisfy(key -> assertThat(key).isSameAs(first));
    }

    /** Keys of one hash code are told apart by {@code equals}, wherever their probe runs, past the end included. */
    @Test
    void get_keysWithOneHashCode_areFoundByEquality_acrossTheEndOfTheArray() {
        // a hash code whose home is the last of 8 slots (a builder for 6 rows has 8), so that the probe wraps
        int hash = 0;
        while ((hash * KeyTable.SPREAD) >>> 29 != 7) {
            hash++;
        }
        KeyTable.Builder builder = new KeyTable.Builder(6);
        for (int i = 0; i < 6; i++) {
            builder.putIfAbsent(new Colliding(hash, i), "row " + i);
        }
        KeyTable table = builder.build();

        assertThat(table.toString()).isEqualTo("KeyTable[size=6, capacity=8]");
        for (int i = 0; i < 6; i++) {
            assertThat(table.get(new Colliding(hash, i))).isEqualTo("row " + i);
        }
        assertThat(table.get(new Colliding(hash, 6))).isNull();
        assertThat(table.get(new Colliding(hash + 1, 0))).isNull();
    }

    /** Growing moves a run of colliding keys that wraps past the end of the array, and keeps every one findable. */
    @Test
    void putIfAbsent_growingAWrappedRun_losesNone() {
        int hash = 0;
        while ((hash * KeyTable.SPREAD) >>> 30 != 3) { // the last of the 4 slots a builder for one row starts with
            hash++;
        }
        KeyTable.Builder builder = new KeyTable.Builder(1);
        for (int i = 0; i < 12; i++) {
            assertThat(builder.putIfAbsent(new Colliding(hash, i), "row " + i)).isNull();
        }
        KeyTable table = builder.build();

        assertThat(table.toString()).isEqualTo("KeyTable[size=12, capacity=16]");
        for (int i = 0; i < 12; i++) {
            assertThat(table.get(new Colliding(hash, i))).isEqualTo("row " + i);
        }
        assertThat(table.get(new Colliding(hash, 12))).isNull();
    }

    /** Two hash codes whose tags are equal (they differ in the bit the tag sets) are still told apart by equality. */
    @Test
    void get_keysWithEqualTags_areToldApart() {
        int hash = 12_345;
        int other = ((hash * KeyTable.SPREAD) ^ 1) * inverse(KeyTable.SPREAD);
        assertThat(other).isNotEqualTo(hash);
        assertThat((other * KeyTable.SPREAD) | 1).isEqualTo((hash * KeyTable.SPREAD) | 1);
        KeyTable.Builder builder = new KeyTable.Builder(2);
        builder.putIfAbsent(new Colliding(hash, 0), "first");
        KeyTable table = builder.build();

        assertThat(table.get(new Colliding(hash, 0))).isEqualTo("first");
        assertThat(table.get(new Colliding(other, 0))).isNull();
    }

    @Test
    void get_integerAndStringKeys_areDifferentKeys() {
        KeyTable.Builder builder = new KeyTable.Builder(2);
        builder.putIfAbsent(1_000, "int");
        builder.putIfAbsent("1000", "string");
        KeyTable table = builder.build();

        assertThat(table.get(Integer.valueOf(1_000))).isEqualTo("int");
        assertThat(table.get(new String("1000"))).isEqualTo("string");
        assertThat(table.get(1_000L)).isNull();
    }

    @Test
    void putIfAbsent_pastTheExpectedRows_grows_andLosesNone() {
        KeyTable.Builder builder = new KeyTable.Builder(1);
        for (int i = 0; i < 1_000; i++) {
            builder.putIfAbsent(i, "row " + i);
        }
        KeyTable table = builder.build();

        assertThat(table.size()).isEqualTo(1_000);
        assertThat(table.toString()).isEqualTo("KeyTable[size=1000, capacity=2048]");
        for (int i = 0; i < 1_000; i++) {
            assertThat(table.get(Integer.valueOf(i))).isEqualTo("row " + i);
        }
        assertThat(table.get(1_000)).isNull();
        assertThat(table.keys()).hasSize(1_000).contains(0, 500, 999);
    }

    @Test
    void with_setsRemovesAndAdds_leavingTheTableAsItWas() {
        String a = new String("a");
        KeyTable.Builder builder = new KeyTable.Builder(3);
        builder.putIfAbsent(a, 1);
        builder.putIfAbsent("b", 2);
        builder.putIfAbsent("c", 3);
        KeyTable table = builder.build();
        Map<Object, Object> changes = new LinkedHashMap<>();
        changes.put(new String("a"), 10);
        changes.put("b", REMOVED);
        changes.put("d", 4);
        changes.put("e", REMOVED); // removing a key without a row

        KeyTable changed = table.with(changes, REMOVED);

        assertThat(changed.size()).isEqualTo(3);
        Map<Object, Object> rows = new HashMap<>();
        for (Object key : changed.keys()) {
            rows.put(key, changed.get(key));
        }
        assertThat(rows).isEqualTo(Map.of("a", 10, "c", 3, "d", 4));
        assertThat(changed.keys())
                .as("a key the table had keeps its instance, not the change's equal one")
                .anySatisfy(key -> assertThat(key).isSameAs(a));
        assertThat(table.size()).isEqualTo(3);
        assertThat(table.get("a")).isEqualTo(1);
        assertThat(table.get("b")).isEqualTo(2);
        assertThat(table.get("d")).isNull();
    }

    @Test
    void empty_hasNoRows() {
        KeyTable empty = new KeyTable.Builder(100).build();

        assertThat(empty).isSameAs(KeyTable.empty());
        assertThat(empty.size()).isZero();
        assertThat(empty.get("org_1")).isNull();
        assertThat(empty.keys()).isEmpty();
        assertThat(empty.with(Map.of("org_1", 1), REMOVED).get("org_1")).isEqualTo(1);
    }

    @Test
    void putIfAbsent_null_isRefusedNamingIt() {
        KeyTable.Builder builder = new KeyTable.Builder(1);

        assertThatThrownBy(() -> builder.putIfAbsent(null, 1))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("key");
        assertThatThrownBy(() -> builder.putIfAbsent("a", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("row");
        assertThat(builder.size()).isZero();
    }

    /** The multiplicative inverse of odd {@code value} modulo 2^32, by Newton's iteration. */
    private static int inverse(int value) {
        int inverse = value;
        for (int i = 0; i < 5; i++) {
            inverse *= 2 - value * inverse;
        }
        return inverse;
    }

    /** A key with a chosen hash code, equal to another by its id. */
    private record Colliding(int hash, int id) {
        @Override
        public int hashCode() {
            return hash;
        }
    }
}
