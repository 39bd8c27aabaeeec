def test = new File(basedir, 'target/generated-test-sources/tollgate/com/acme/flags')
assert new File(test, 'TollgateTestKit.java').isFile()
assert !new File(test, 'TollgateExtension.java').exists()
assert new File(basedir, 'target/test-classes/com/acme/flags/TollgateTestKit.class').isFile()
assert new File(basedir, 'build.log').text.contains('no junit-jupiter-api test dependency; the test kit has no JUnit extension')
return true
