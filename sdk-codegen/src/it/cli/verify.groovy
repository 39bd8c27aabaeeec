// Runs the shaded command line jar as a user without Maven would.
def java = new File(System.getProperty('java.home'), 'bin/java').path
def run = { List<String> args ->
    def process = ([java, '-jar', cliJar] + args).execute(null, basedir)
    def out = new StringBuilder()
    def err = new StringBuilder()
    process.waitForProcessOutput(out, err)
    [process.exitValue(), out.toString(), err.toString()]
}

def (code, out, err) = run(['--help'])
assert code == 0 && out.contains('Usage: tollgate-codegen <command>') : out + err

(code, out, err) = run(['generate', '--schema', 'schema', '--package', 'com.acme.cli', '--output', 'out/main',
        '--test-kit-output', 'out/test', '--type-name', 'Root=Flags'])
assert code == 0 : err
assert out.contains('Generated 10 files into') : out
assert err.isEmpty() : err
assert new File(basedir, 'out/main/com/acme/cli/Flags.java').isFile()
assert new File(basedir, 'out/test/com/acme/cli/TollgateTestKit.java').isFile()
assert new File(basedir, 'out/main/com/acme/cli/Tollgate.java').text.contains('"schema/schema.graphql"')

(code, out, err) = run(['generate', '--schema', 'bad.graphql', '--package', 'com.acme.cli'])
assert code == 1 : out + err
assert err.contains('error: bad.graphql:2:13: Root.maxTeamSize has unknown type Integer') : err
assert !new File(basedir, 'target/generated-sources/tollgate').exists()

(code, out, err) = run(['validate', '--schema', 'schema', 'good.json', 'bad.json'])
assert code == 1 : out + err
assert out.contains('good.json: valid (revision 4)') : out
assert err.contains('error: bad.json: entitlements.maxTeamSize') : err
assert err.contains('error: bad.json: entitlements.nope') : err
assert err.contains('bad.json: invalid (2 problems)') : err

(code, out, err) = run(['validate', '--schema', 'schema', 'good.json'])
assert code == 0 : err

(code, out, err) = run(['generate', '--schema', 'schema'])
assert code == 2 && err.contains('--package is required') : err

(code, out, err) = run(['frobnicate'])
assert code == 2 && err.contains("unknown command 'frobnicate'") : err

(code, out, err) = run(['validate', '--schema', 'missing-dir', 'good.json'])
assert code == 3 && err.contains('no such file or directory') : err

(code, out, err) = run(['--version'])
assert code == 0 && out.startsWith('tollgate-codegen ') && !out.contains('development') : out
return true
