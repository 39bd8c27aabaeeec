-- The organization directory: one per server (organizations are customers, not per environment), filled by a billing
-- sync or a CSV upload through PUT /v1/admin/organizations. id is the organization's key (context.organization.id);
-- plan is the value of context.organization.plan; attributes is a JSON object of further context attribute paths and
-- their values, such as {"organization.region":"eu"}, keys sorted. id_lower and name_lower are the lower-cased id and
-- name the search reads: an exact or prefix match uses their indexes, a substring match reads the table.
CREATE TABLE organizations (
    id          VARCHAR(200) PRIMARY KEY,
    id_lower    VARCHAR(400) NOT NULL,
    name        VARCHAR(200) NOT NULL,
    name_lower  VARCHAR(400) NOT NULL,
    plan        VARCHAR(200),
    attributes  TEXT NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by  VARCHAR(200) NOT NULL
);

CREATE INDEX organizations_id_lower ON organizations (id_lower);
CREATE INDEX organizations_name_lower ON organizations (name_lower);
