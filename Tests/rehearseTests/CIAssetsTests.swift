import Foundation
import Testing
import Yams

/// The CI assets under ci/, tested as far as this machine allows: each YAML file parses and has the keys its
/// system needs, every `rehearse` command line in them uses options the built binary knows, the Dockerfile
/// installs what ci/install.sh installs and what the binary links, and the Helm template renders.
@Suite struct CIAssetsTests {
    static let ci = RehearseProcess.packageRoot.appendingPathComponent("ci")

    static func text(_ path: String) throws -> String {
        try String(contentsOf: ci.appendingPathComponent(path), encoding: .utf8)
    }

    static func yaml(_ path: String) throws -> [String: Any] {
        let document = try Yams.load(yaml: try text(path))
        return try #require(document as? [String: Any], "\(path) is not a YAML mapping")
    }

    /// The long options `rehearse verify --help` lists.
    static let verifyOptions: Set<String> = {
        let help = (try? RehearseProcess.run(["verify", "--help"]).stdout) ?? ""
        return Set(help.matches(of: /--[a-z][a-z-]*/).map { String($0.output) })
    }()

    /// Every `--option` that follows `rehearse verify` on a command line in `text`.
    static func rehearseOptions(in text: String) -> [String] {
        text.matches(of: /rehearse verify[^\n]*(?:\n[ \t]+--[^\n]*)*/).flatMap { line in
            String(line.output).matches(of: /(?:^|[\s"'(\[])(--[a-z][a-z-]*)/).map { String($0.output.1) }
        }
    }

    static func expectKnownOptions(_ path: String) throws {
        let options = rehearseOptions(in: try text(path))
        #expect(!options.isEmpty, "\(path) runs no `rehearse verify`")
        for option in options {
            #expect(verifyOptions.contains(option), "\(path) uses \(option), which `rehearse verify` does not know")
        }
    }

    // MARK: GitHub Actions

    @Test func theGitHubWorkflowRunsOneShardPerMatrixEntryAndUploadsJUnit() throws {
        let workflow = try Self.yaml("github/rehearse.yml")
        let triggers = try #require(workflow["on"] as? [String: Any])
        #expect(triggers.keys.contains("pull_request"))
        let jobs = try #require(workflow["jobs"] as? [String: Any])
        let job = try #require(jobs["rehearse"] as? [String: Any])
        #expect((job["container"] as? String)?.hasPrefix("swift:6.3") == true)
        let matrix = try #require((job["strategy"] as? [String: Any])?["matrix"] as? [String: Any])
        let shards = try #require(matrix["shard"] as? [Int])
        #expect(shards == Array(1...shards.count) && shards.count >= 2)
        let steps = try #require(job["steps"] as? [[String: Any]])
        let runs = steps.compactMap { $0["run"] as? String }
        let verify = try #require(runs.first { $0.contains("rehearse verify") })
        #expect(verify.contains(#"--shard "${{ matrix.shard }}/${{ strategy.job-total }}""#))
        #expect(verify.contains(#"--junit "rehearse-junit-${{ matrix.shard }}.xml""#))
        #expect(runs.contains { $0.contains("ci/install.sh") })
        let upload = try #require(steps.first { ($0["uses"] as? String)?.hasPrefix("actions/upload-artifact@") == true })
        #expect(upload["if"] as? String == "${{ always() }}")
        #expect((upload["with"] as? [String: Any])?["path"] as? String == "rehearse-junit-${{ matrix.shard }}.xml")
        try Self.expectKnownOptions("github/rehearse.yml")
    }

    @Test func theCompositeActionTakesPathShardAndArgsAndBuildsFromItsOwnCheckout() throws {
        let action = try Self.yaml("github/action/action.yml")
        let inputs = try #require(action["inputs"] as? [String: [String: Any]])
        for name in ["path", "shard", "args"] {
            #expect(inputs[name]?["description"] is String, "input \(name)")
        }
        let runs = try #require(action["runs"] as? [String: Any])
        #expect(runs["using"] as? String == "composite")
        let steps = try #require(runs["steps"] as? [[String: Any]])
        #expect(steps.allSatisfy { $0["shell"] as? String == "bash" }, "a composite action's run steps need a shell")
        for step in steps {
            // Inputs go through env, so a crafted input cannot become shell text.
            #expect(!((step["run"] as? String) ?? "").contains("${{"), "\(step["name"] ?? "")")
        }
        let verify = try #require(steps.first { $0["id"] as? String == "verify" })
        let env = try #require(verify["env"] as? [String: String])
        #expect(env["REHEARSE_SHARD"] == "${{ inputs.shard }}")
        // $GITHUB_ACTION_PATH is ci/github/action inside the Rehearse checkout.
        let actionPath = Self.ci.appendingPathComponent("github/action")
        #expect(FileManager.default.fileExists(atPath: actionPath.appendingPathComponent("../../install.sh").standardized.path))
        #expect(FileManager.default.fileExists(atPath: actionPath.appendingPathComponent("../../../Package.swift").standardized.path))
        try Self.expectKnownOptions("github/action/action.yml")
    }

    // MARK: GitLab and Jenkins

    @Test func theGitLabJobRunsInParallelShardsAndReportsJUnit() throws {
        let pipeline = try Self.yaml("gitlab/rehearse.gitlab-ci.yml")
        let job = try #require(pipeline["rehearse"] as? [String: Any])
        #expect(((job["parallel"] as? Int) ?? 0) >= 2)
        let script = try #require(job["script"] as? [String]).joined(separator: "\n")
        #expect(script.contains(#"--shard "${CI_NODE_INDEX:-1}/${CI_NODE_TOTAL:-1}""#))
        let junit = try #require(script.firstMatch(of: /--junit "?([^" ]+)"?/)?.output.1)
        let artifacts = try #require(job["artifacts"] as? [String: Any])
        #expect(artifacts["when"] as? String == "always")
        #expect((artifacts["reports"] as? [String: Any])?["junit"] as? String == String(junit))
        #expect(job["image"] as? String == "$REHEARSE_IMAGE")
        try Self.expectKnownOptions("gitlab/rehearse.gitlab-ci.yml")
    }

    @Test func theJenkinsfileRunsRehearseInAStageAndAlwaysRecordsJUnit() throws {
        let pipeline = try Self.text("jenkins/Jenkinsfile")
        let code = pipeline.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }.joined(separator: "\n")
        #expect(code.filter { $0 == "{" }.count == code.filter { $0 == "}" }.count, "unbalanced braces")
        #expect(code.contains("pipeline {"))
        #expect(code.contains("stage('Rehearse migrations')"))
        let junit = try #require(code.firstMatch(of: /rehearse verify [^\n]*--junit ([^\s']+)/)?.output.1)
        let always = try #require(code.range(of: "always {"))
        #expect(code[always.upperBound...].contains("junit testResults: '\(junit)'"))
        try Self.expectKnownOptions("jenkins/Jenkinsfile")
    }

    // MARK: Docker

    /// The packages each `apt-get install` of the Dockerfile installs, by stage (`FROM` line).
    static func dockerStages() throws -> [(from: String, packages: Set<String>)] {
        let joined = try text("docker/Dockerfile").replacingOccurrences(of: "\\\n", with: " ")
        var stages: [(from: String, packages: Set<String>)] = []
        for line in joined.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("FROM ") { stages.append((trimmed, [])) }
            guard trimmed.hasPrefix("RUN "), let install = trimmed.range(of: "apt-get install") else { continue }
            let words = trimmed[install.upperBound...].prefix { $0 != "&" }.split(separator: " ").map(String.init)
            stages[stages.count - 1].packages.formUnion(words.filter { !$0.hasPrefix("-") })
        }
        return stages
    }

    @Test func theDockerBuildInstallsWhatCIInstallsAndTheRuntimeWhatTheBinaryNeeds() throws {
        let install = try Self.text("install.sh")
        let list = try #require(install.firstMatch(of: /packages=\(([^)]*)\)/)?.output.1)
        let expected = Set(list.split(separator: " ").map(String.init))
        let stages = try Self.dockerStages()
        #expect(stages.count == 2)
        let build = try #require(stages.first)
        let runtime = try #require(stages.last)
        #expect(build.from.contains("swift:${SWIFT_VERSION}-bookworm AS build"))
        #expect(runtime.from.contains("swift:${SWIFT_VERSION}-bookworm-slim"), "the run stage is the Swift runtime image")
        #expect(build.packages == expected, "the build stage should install exactly ci/install.sh's packages")
        for server in ["postgresql", "python3-venv"] {
            #expect(runtime.packages.contains(server))
        }
        let dockerfile = try Self.text("docker/Dockerfile")
        #expect(dockerfile.contains("pip install") && dockerfile.contains(" nx-27017"))
        #expect(dockerfile.contains("ENV REHEARSE_NX27017=/opt/nx-27017/bin/nx-27017"))
        #expect(dockerfile.contains("COPY --from=build /out/rehearse /usr/local/bin/rehearse"))
        #expect(dockerfile.contains("USER rehearse"))
        #expect(!dockerfile.split(separator: "\n").contains { $0.hasPrefix("ENTRYPOINT") }, "GitLab and Jenkins run their own shell in the image")
    }

    /// The Debian package of every shared library the built binary names directly, but the C library's and
    /// the Swift runtime's (which the base image has).
    static func linkedPackages() throws -> Set<String> {
        let needed = try Self.run("/usr/bin/readelf", ["-d", RehearseProcess.binary.path])
            .matches(of: /NEEDED\)\s+Shared library: \[([^\]]+)\]/).map { String($0.output.1) }
        var packages = Set<String>()
        for library in needed where !library.hasPrefix("libswift") && !["libc.so.6", "libm.so.6", "libdispatch.so", "libBlocksRuntime.so"].contains(library) && !library.hasPrefix("libFoundation") {
            let owner = try Self.run("/usr/bin/dpkg", ["-S", "*/\(library)"])
            packages.insert(String(owner.prefix { $0 != ":" }))
        }
        return packages
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/dpkg") && FileManager.default.isExecutableFile(atPath: "/usr/bin/readelf")))
    func theRuntimeStageInstallsThePackagesOfEveryLinkedLibrary() throws {
        let linked = try Self.linkedPackages()
        #expect(linked.isSuperset(of: ["libpq5", "libmongoc-1.0-0", "libbson-1.0-0"]), "\(linked)")
        let runtime = try #require(try Self.dockerStages().last)
        #expect(runtime.packages.isSuperset(of: linked), "missing from the run stage: \(linked.subtracting(runtime.packages))")
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw SandboxError(description: "\(executable) \(arguments) failed") }
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: Kubernetes and Helm

    static func container(of job: [String: Any]) throws -> [String: Any] {
        let spec = try #require((((job["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"]) as? [String: Any])
        #expect(spec["restartPolicy"] as? String == "Never")
        let containers = try #require(spec["containers"] as? [[String: Any]])
        let mounted = Set(((spec["volumes"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String })
        for container in containers + ((spec["initContainers"] as? [[String: Any]]) ?? []) {
            for mount in (container["volumeMounts"] as? [[String: Any]]) ?? [] {
                #expect(mounted.contains(mount["name"] as? String ?? ""), "volume \(mount["name"] ?? "") is not declared")
            }
        }
        return try #require(containers.first { $0["name"] as? String == "rehearse" })
    }

    static func postgresURLSecret(_ container: [String: Any]) -> [String: Any]? {
        let env = (container["env"] as? [[String: Any]]) ?? []
        let variable = env.first { $0["name"] as? String == "REHEARSE_POSTGRES_URL" }
        return ((variable?["valueFrom"] as? [String: Any])?["secretKeyRef"]) as? [String: Any]
    }

    @Test func theKubernetesJobIsAnIndexedJobWhoseIndexIsTheShard() throws {
        let job = try Self.yaml("kubernetes/rehearse-gate-job.yaml")
        #expect(job["apiVersion"] as? String == "batch/v1")
        #expect(job["kind"] as? String == "Job")
        let spec = try #require(job["spec"] as? [String: Any])
        #expect(spec["completionMode"] as? String == "Indexed")
        #expect(spec["backoffLimit"] as? Int == 0)
        let completions = try #require(spec["completions"] as? Int)
        #expect(spec["parallelism"] as? Int == completions)
        let container = try Self.container(of: job)
        let command = ((container["command"] as? [String]) ?? []) + ((container["args"] as? [String]) ?? [])
        let line = try #require(command.first { $0.contains("rehearse verify") })
        #expect(line.contains(#"--shard "$((JOB_COMPLETION_INDEX + 1))/\#(completions)""#))
        #expect(Self.postgresURLSecret(container)?["name"] as? String == "rehearse-postgres")
        try Self.expectKnownOptions("kubernetes/rehearse-gate-job.yaml")
    }

    @Test func theHelmGateRunsBeforeTheMigrationJobWithTheURLFromASecret() throws {
        let values = try Self.yaml("helm/values-rehearse-gate.yaml")
        let rendered = try HelmSubset.render(try Self.text("helm/templates/rehearse-gate.yaml"), values: values, release: "shop")
        let job = try #require(try Yams.load(yaml: rendered) as? [String: Any], "\(rendered)")
        #expect(job["kind"] as? String == "Job")
        let metadata = try #require(job["metadata"] as? [String: Any])
        #expect(metadata["name"] as? String == "shop-rehearse-gate")
        let annotations = try #require(metadata["annotations"] as? [String: String])
        #expect(annotations["helm.sh/hook"] == "pre-install,pre-upgrade")
        // Lower than the migration Job's weight (0 unless the chart says otherwise), so Helm runs the gate first.
        let weight = try #require(annotations["helm.sh/hook-weight"].flatMap { Int($0) })
        #expect(weight < 0)
        let container = try Self.container(of: job)
        #expect((container["command"] as? [String])?.prefix(2) == ["rehearse", "verify"])
        let secret = try #require(Self.postgresURLSecret(container))
        #expect(secret["name"] as? String == "rehearse-postgres" && secret["key"] as? String == "url")

        var disabled = values
        disabled["rehearseGate"] = ((values["rehearseGate"] as? [String: Any]) ?? [:]).merging(["enabled": false]) { $1 }
        let nothing = try HelmSubset.render(try Self.text("helm/templates/rehearse-gate.yaml"), values: disabled, release: "shop")
        #expect(nothing.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    // MARK: The pre-push hook

    @Test func thePrePushHookBlocksAPushWhoseChangedMigrationFailsAndLetsAGoodOneThrough() throws {
        let sandbox = try GitSandbox(projects: ["e-commerce"])
        defer { sandbox.remove() }
        // Outside the work tree, so that committing everything does not commit the remote.
        let remote = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-remote-\(UUID().uuidString).git")
        defer { try? FileManager.default.removeItem(at: remote) }
        try GitSandbox.git(["init", "-q", "--bare", remote.path], in: sandbox.root)
        try sandbox.git("remote", "add", "origin", remote.path)
        try sandbox.git("push", "-q", "-u", "origin", "main")
        let hooks = sandbox.root.appendingPathComponent(".git/hooks")
        try FileManager.default.createDirectory(at: hooks, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.ci.appendingPathComponent("hooks/pre-push"), to: hooks.appendingPathComponent("pre-push"))
        let environment = ["REHEARSE": RehearseProcess.binary.path, "REHEARSE_ARGS": "--database postgresql"]
        func push(_ arguments: String...) -> (ok: Bool, output: String) {
            do {
                return (true, try GitSandbox.git(["push"] + arguments, in: sandbox.root, environment: environment))
            } catch {
                return (false, "\(error)")
            }
        }
        func remoteHead(_ branch: String) throws -> String {
            try GitSandbox.git(["rev-parse", branch], in: remote).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let upgrade = "projects/e-commerce/versions/v2.0.0/upgrade/from-v1.1.0/postgresql/schema-changes"
        let forward = try #require(try FileManager.default.contentsOfDirectory(atPath: sandbox.migrations.appendingPathComponent(upgrade).path).sorted().last)

        // A change that breaks the upgrade's forward scripts: the push is refused and the remote keeps main.
        let before = try remoteHead("main")
        try sandbox.append("\nselect 1 / 0;\n", to: "\(upgrade)/\(forward)")
        try sandbox.commitAll("break the upgrade")
        let refused = push("-q", "origin", "main")
        #expect(!refused.ok, "the hook let a failing migration through")
        #expect(refused.output.contains("rehearsing the migrations changed since @{push}"), "\(refused.output)")
        #expect(refused.output.contains("SQLSTATE 22012"), "\(refused.output)")
        #expect(try remoteHead("main") == before)

        // Fixed: the push goes through.
        try sandbox.git("revert", "--no-edit", "HEAD")
        let accepted = push("-q", "origin", "main")
        #expect(accepted.ok, "\(accepted.output)")
        #expect(try remoteHead("main") != before)

        // A new branch has no push destination yet: the hook compares with origin/main.
        try sandbox.git("switch", "-q", "-c", "feature")
        try sandbox.append("\nselect 1 / 0;\n", to: "\(upgrade)/\(forward)")
        try sandbox.commitAll("break it on a branch")
        let branch = push("-q", "origin", "feature")
        #expect(!branch.ok)
        #expect(branch.output.contains("changed since origin/"), "\(branch.output)")
    }
}

/// Renders the subset of Helm's template language that ci/helm/templates uses: comments, `{{- if .Values.x }}`
/// … `{{- end }}` on lines of their own, and `{{ .Values.x.y }}` / `{{ .Release.Name }}`, optionally `| quote`.
/// Anything else is an error, so the template cannot drift beyond what this test checks.
enum HelmSubset {
    static func render(_ template: String, values: [String: Any], release: String) throws -> String {
        let withoutComments = template.replacing(/\{\{-?\s*\/\*[\s\S]*?\*\/\s*-?\}\}\n?/, with: "")
        var output: [String] = []
        var conditions: [Bool] = []
        for line in withoutComments.split(separator: "\n", omittingEmptySubsequences: false) {
            if let condition = line.wholeMatch(of: /\s*\{\{-?\s*if\s+(\S+)\s*-?\}\}\s*/) {
                conditions.append(truthy(try lookup(String(condition.output.1), values: values, release: release)))
                continue
            }
            if line.wholeMatch(of: /\s*\{\{-?\s*end\s*-?\}\}\s*/) != nil {
                guard conditions.popLast() != nil else { throw SandboxError(description: "end without if") }
                continue
            }
            guard conditions.allSatisfy({ $0 }) else { continue }
            var rendered = ""
            var rest = Substring(line)
            while let action = rest.firstMatch(of: /\{\{-?\s*(\S+)\s*(\|\s*quote\s*)?-?\}\}/) {
                rendered += rest[..<action.range.lowerBound]
                let value = try lookup(String(action.output.1), values: values, release: release)
                let text = value.map { "\($0)" } ?? ""
                rendered += action.output.2 == nil ? text : "\"" + text.replacingOccurrences(of: "\"", with: "\\\"") + "\""
                rest = rest[action.range.upperBound...]
            }
            output.append(rendered + rest)
        }
        guard conditions.isEmpty else { throw SandboxError(description: "if without end") }
        return output.joined(separator: "\n")
    }

    static func lookup(_ path: String, values: [String: Any], release: String) throws -> Any? {
        if path == ".Release.Name" { return release }
        guard path.hasPrefix(".Values.") else { throw SandboxError(description: "outside the tested subset: \(path)") }
        var current: Any? = values
        for key in path.dropFirst(".Values.".count).split(separator: ".") {
            current = (current as? [String: Any])?[String(key)]
        }
        guard let current else { throw SandboxError(description: "no value \(path)") }
        return current
    }

    static func truthy(_ value: Any?) -> Bool {
        switch value {
        case let flag as Bool: flag
        case nil: false
        default: true
        }
    }
}
