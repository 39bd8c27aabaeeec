def log = new File(basedir, 'build.log').text
assert log.contains('Tollgate: snapshot src/main/tollgate/snapshot.json is invalid (3 problems)')
assert log.contains('entitlements.maxTeamSize')
assert log.contains('"twenty" is not an Int')
assert log.contains('unknown attribute context.organization.tier')
assert log.contains('the schema has no field entitlements.maxSeats')
assert log.contains('BUILD FAILURE')
return true
