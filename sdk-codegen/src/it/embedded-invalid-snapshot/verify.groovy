def log = new File(basedir, 'build.log').text
assert log.contains('Tollgate: snapshot src/main/tollgate/snapshot.json is invalid (1 problem)')
assert log.contains('entitlements.maxTeamSize: default: value 5.5 is not an Int')
assert !new File(basedir, 'target/generated-sources/tollgate/com').exists() : 'nothing is written'
assert !new File(basedir, 'target/generated-resources/tollgate/com').exists()
return true
