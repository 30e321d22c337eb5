//! The Kubernetes Indexed Job and the GitHub Actions release workflow in the repository
//! parse, and agree with the command line they run (shard count, flags that exist).

use serde_yaml::Value;

fn load(rel: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{rel} does not parse: {e}"))
}

/// `N` of the `--shard …/N` in a command line.
fn shard_count(command: &str) -> u64 {
    let at = command.find("--shard").expect("the command shards the work");
    let arg = command[at + "--shard".len()..].split_whitespace().next().unwrap().trim_matches('"');
    arg.rsplit('/')
        .next()
        .unwrap()
        .trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .parse()
        .unwrap_or(0)
}

#[test]
fn kubernetes_indexed_job_parses_and_matches_its_shards() {
    let job = load("deploy/kubernetes/indexed-job.yaml");
    assert_eq!(job["apiVersion"], "batch/v1");
    assert_eq!(job["kind"], "Job");
    let spec = &job["spec"];
    assert_eq!(spec["completionMode"], "Indexed");
    let container = &spec["template"]["spec"]["containers"][0];
    let args = container["args"][0].as_str().unwrap();
    assert!(args.contains("--shard env/4") && args.contains("--json"), "{args}");
    assert_eq!(spec["completions"].as_u64(), Some(shard_count(args)));
    assert!(args.contains("${JOB_COMPLETION_INDEX}"), "one summary per pod: {args}");
    for flag in ["--data", "--name", "--skip-existing"] {
        assert!(args.contains(flag), "{flag}");
    }
}

#[test]
fn release_workflow_parses_and_uploads_every_shard() {
    let wf = load(".github/workflows/release-handouts.yml");
    assert_eq!(wf["on"]["push"]["tags"][0], "v*");
    let build = &wf["jobs"]["build"];
    let shards = build["strategy"]["matrix"]["shard"].as_sequence().unwrap();
    assert_eq!(wf["env"]["SHARDS"].as_u64(), Some(shards.len() as u64));
    let steps = build["steps"].as_sequence().unwrap();
    let run = steps.iter().filter_map(|s| s["run"].as_str()).find(|r| r.contains("handout build")).unwrap();
    assert!(run.contains("--shard \"${{ matrix.shard }}/${SHARDS}\"") && run.contains("--json"), "{run}");
    let upload = steps
        .iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("actions/upload-artifact")))
        .unwrap();
    let paths = upload["with"]["path"].as_str().unwrap();
    assert!(paths.contains("out/*.pdf") && paths.contains("summary-"), "{paths}");
    let release = wf["jobs"]["release"]["steps"].as_sequence().unwrap();
    assert!(release.iter().filter_map(|s| s["run"].as_str()).any(|r| r.contains("gh release upload")));
}
