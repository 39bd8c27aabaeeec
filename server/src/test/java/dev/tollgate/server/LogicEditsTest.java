package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class LogicEditsTest {

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) Api.JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void setOverride_addsToTheTableByThatAttribute_keepingFieldKeysInDocumentedOrder() throws Exception {
        ObjectNode doc = json("{'fields': {'a.b': {'default': 5, 'overrides': [{'by': 'context.plan', 'values': {}},"
                + " {'by': 'context.org', 'values': {'o1': 1}}]}}}");

        LogicEdits.setOverride(doc, "a.b", "context.org", "o2", IntNode.valueOf(2), GrantWindow.ALWAYS, true);

        assertThat(doc.toString())
                .isEqualTo("{\"fields\":{\"a.b\":{\"overrides\":[{\"by\":\"context.plan\",\"values\":{}},"
                        + "{\"by\":\"context.org\",\"values\":{\"o1\":1,\"o2\":2}}],\"default\":5}}}");
    }

    @Test
    void setOverride_createsTheFieldAndTable_clearOverride_removesThemAgain() throws Exception {
        ObjectNode doc = json("{}");

        LogicEdits.setOverride(doc, "a.b", "context.org", "o1", IntNode.valueOf(50), GrantWindow.ALWAYS, true);
        assertThat(doc.toString())
                .isEqualTo("{\"fields\":{\"a.b\":{\"overrides\":[{\"by\":\"context.org\",\"values\":{\"o1\":50}}]}}}");
        LogicEdits.clearOverride(doc, "a.b", "context.org", "o1", true);

        assertThat(doc.toString()).isEqualTo("{\"fields\":{}}");
        assertThatThrownBy(() -> LogicEdits.clearOverride(doc, "a.b", "context.org", "o1", true))
                .hasMessage("field a.b has no override for context.org = o1");
    }

    @Test
    void setOverride_withoutTheAdminRole_setsRowsOnlyInTablesTheFieldAlreadyHas() throws Exception {
        ObjectNode doc = json("{'fields': {'a.b': {'overrides': [{'by': 'context.org', 'values': {'o1': 1}}],"
                + " 'rules': [{'id': 'pro', 'if': {'attribute': 'context.plan', 'op': 'eq', 'value': 'PRO'},"
                + " 'value': 20}], 'default': 5}}}");
        String before = doc.toString();

        assertThatThrownBy(() -> LogicEdits.setOverride(
                        doc, "a.b", "context.plan", "PRO", IntNode.valueOf(1000), GrantWindow.ALWAYS, false))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.code()).isEqualTo("forbidden");
                })
                .hasMessage("field a.b has no override table by context.plan: editors set rows only in the override"
                        + " tables a field already has; an admin must create the table");
        assertThatThrownBy(() -> LogicEdits.setOverride(
                        doc, "c.d", "context.org", "o1", IntNode.valueOf(1), GrantWindow.ALWAYS, false))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(403))
                .hasMessageStartingWith("field c.d has no override table by context.org: ");
        assertThat(doc.toString()).isEqualTo(before);

        LogicEdits.setOverride(doc, "a.b", "context.org", "o2", IntNode.valueOf(2), GrantWindow.ALWAYS, false);
        assertThat(doc.at("/fields/a.b/overrides").toString())
                .isEqualTo("[{\"by\":\"context.org\",\"values\":{\"o1\":1,\"o2\":2}}]");
    }

    @Test
    void clearOverride_withoutTheAdminRole_keepsTheEmptiedTable_soRowsCanBeAddedAgain() throws Exception {
        ObjectNode doc = json("{'fields': {'a.b': {'overrides': [{'by': 'context.org', 'values': {'o1': 1}}]}}}");

        assertThat(LogicEdits.clearOverride(doc, "a.b", "context.org", "o1", false))
                .isEqualTo(IntNode.valueOf(1));
        assertThat(doc.toString())
                .isEqualTo("{\"fields\":{\"a.b\":{\"overrides\":[{\"by\":\"context.org\",\"values\":{}}]}}}");
        LogicEdits.setOverride(doc, "a.b", "context.org", "o3", IntNode.valueOf(3), GrantWindow.ALWAYS, false);
        assertThat(doc.at("/fields/a.b/overrides/0/values").toString()).isEqualTo("{\"o3\":3}");
    }

    @Test
    void member_editsTheInListOfTheSegment_asNumbersForNumericLists() throws Exception {
        ObjectNode doc = json("{'segments': {'s': {'if': {'any': [{'segment': 't'},"
                + " {'attribute': 'context.n', 'op': 'in', 'value': [1, 2]}]}}}}");

        assertThat(LogicEdits.member(doc, "s", "3", true)).isTrue();
        assertThat(LogicEdits.member(doc, "s", "3", true)).isFalse();
        assertThat(LogicEdits.member(doc, "s", "1", false)).isTrue();

        assertThat(doc.at("/segments/s/if/any/1/value").toString()).isEqualTo("[2,3]");
        assertThatThrownBy(() -> LogicEdits.member(doc, "s", "x", true))
                .hasMessage("this segment's members are numbers; \"x\" is not an integer");
    }

    @Test
    void member_ofASegmentWithoutAnInList_isAConflict() throws Exception {
        ObjectNode doc = json("{'segments': {'s': {'if': {'attribute': 'context.n', 'op': 'eq', 'value': 1}}}}");

        assertThatThrownBy(() -> LogicEdits.member(doc, "s", "1", true))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(409))
                .hasMessageStartingWith("segment \"s\" has no membership list");
    }
}
