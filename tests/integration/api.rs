//! The Rust API (`dialsim::sim`) as the project's own end-to-end tests use it: every example folder runs
//! with its expectations holding, events are queried directly, extra expectations are checked, and a
//! failing assertion panics with the report `dialsim test` prints.

use crate::common;

use common::{example_folders, root};
use dialsim::expect::GoldenMode;
use dialsim::scenario::runner::Finish;
use dialsim::sim::Simulation;

#[test]
fn every_example_meets_its_expectations() {
    // Folders of configuration only (no scenario.toml, such as the AMI server's) have nothing to run.
    for folder in example_folders()
        .into_iter()
        .filter(|f| root().join(f).join("scenario.toml").exists())
    {
        let sim = Simulation::load(root().join(&folder)).expect("the example loads");
        let run = sim.run().expect("the example runs");
        let failures = run.failures();
        assert!(failures.is_empty(), "{folder}: {failures:#?}");
        assert_eq!(run.outcome().finish, Finish::AllHungUp, "{folder}");
    }
}

#[test]
fn events_can_be_queried() {
    let sim = Simulation::load(root().join("dialplan-examples/01-basic-retrieval")).unwrap();
    let run = sim.run().unwrap();
    let parked: Vec<_> = run.events_named("ParkedCall").collect();
    assert_eq!(parked.len(), 1);
    let f = parked[0].fields().unwrap();
    assert_eq!(f.get("ParkingSpace"), Some("701"));
    assert_eq!(parked[0].time.as_millis(), 2324);
    assert!(run.events().len() > parked.len());
    // Runs repeat exactly.
    assert_eq!(sim.run().unwrap().events(), run.events());
}

#[test]
fn extra_expectations_and_a_failing_assert() {
    let sim = Simulation::load(root().join("dialplan-examples/03-timeout-custom")).unwrap();
    let run = sim.run().unwrap();
    run.assert(
        r#"
        [[expect]]
        heard = "vm-goodbye"
        by = "PJSIP/outside"
        [[expect]]
        variable = "PARKING_SPACE"
        value = "701"
        channel = "PJSIP/outside"
        "#,
    );
    let checked = run
        .check_toml("[[expect]]\nended_by = \"1m\"\n")
        .expect("valid expectations");
    assert_eq!(checked.failures.len(), 1);
    assert_eq!(
        checked.failures[0].happened,
        "the last channel hung up at 00:05:03.189"
    );
    let bad = run.check_toml("[[expect]]\nheard = 3\n");
    assert!(bad.is_err());

    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        run.assert("[[expect]]\nevent = \"UnParkedCall\"\n");
    }))
    .expect_err("the assertion fails");
    let text = panic.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(
        text.contains("<expectations>:2: event = \"UnParkedCall\""),
        "{text}"
    );
    assert!(
        text.contains("happened: no UnParkedCall event at all"),
        "{text}"
    );
}

#[test]
fn from_toml_with_a_config_folder() {
    let scenario = r#"
[[calls]]
from = "PJSIP/outside"
to = "100@test"

[[expect]]
reached = "test,100,greet"
"#;
    let sim = Simulation::from_toml(
        "inline.toml",
        scenario,
        root().join("tests/data/expect/labels"),
    )
    .unwrap();
    let run = sim.run().unwrap();
    assert!(run.failures().is_empty(), "{:#?}", run.failures());
    assert!(run.check(GoldenMode::Compare).updated.is_empty());
    assert!(Simulation::from_toml("x.toml", scenario, root().join("nope")).is_err());
}
