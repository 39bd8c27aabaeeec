// Every schema error is reported with file:line:col, and nothing is generated.
def log = new File(basedir, 'build.log').text
assert log.contains('src/main/tollgate/schema.graphql:7:3: Entitlements.maxSeats has unknown type Integer')
assert log.contains('src/main/tollgate/schema.graphql:8:3: Entitlements.plan has unknown type Tier')
assert log.contains('Tollgate: the schema has 2 errors')
assert log.contains('BUILD FAILURE')
assert !new File(basedir, 'target/generated-sources/tollgate/com').exists()
return true
