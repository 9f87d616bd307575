//! The swing view of `buildout sensitivity` (issue 13 part 2, D41): each uncertain
//! input pinned at its P10 and then its P90 while every other input keeps its draws
//! (common random numbers: every item draws from its own stream), the headline of each
//! pinned Monte Carlo beside the unpinned one. Parallelism stays in `ensemble`.

use super::ensemble::{simulate, simulate_pinned, EnsembleError, Progress};
use super::run::{input_laws, DrawnInput};
use super::scenario::Scenario;
use super::stats::Headline;

/// One input's swing: the values it was pinned at and the headline at each.
#[derive(Debug, Clone, PartialEq)]
pub struct InputSwing {
    /// The input.
    pub input: DrawnInput,
    /// The values it was pinned at: its P10 (or "does not happen") and P90 ("happens").
    pub pinned: [f64; 2],
    /// The headline figures with the input at each value.
    pub headlines: [Headline; 2],
}

/// The unpinned headline and every input's swing, in `drawn_inputs` order.
#[derive(Debug, Clone, PartialEq)]
pub struct Swing {
    /// Runs per Monte Carlo.
    pub runs: u64,
    /// The headline with nothing pinned.
    pub base: Headline,
    /// One entry per uncertain input.
    pub inputs: Vec<InputSwing>,
}

/// Runs `runs` runs of `scenario` unpinned, then with each uncertain input pinned low
/// and high: 2 x inputs + 1 Monte Carlos, all with master seed `seed`. `progress` sees
/// every run of every one of them.
pub fn swing(
    scenario: &Scenario,
    seed: u64,
    runs: u64,
    threads: Option<usize>,
    progress: &dyn Progress,
) -> Result<Swing, EnsembleError> {
    let base = simulate(scenario, seed, 0..runs, threads, progress)?.headline(scenario);
    let mut inputs = Vec::new();
    for (index, (input, law)) in input_laws(scenario).into_iter().enumerate() {
        let pinned = [law.pinned(false), law.pinned(true)];
        let headline = |value: f64| -> Result<Headline, EnsembleError> {
            let aggregate = simulate_pinned(scenario, seed, 0..runs, threads, progress, (index, value))?;
            Ok(aggregate.headline(scenario))
        };
        let headlines = [headline(pinned[0])?, headline(pinned[1])?];
        inputs.push(InputSwing { input, pinned, headlines });
    }
    Ok(Swing { runs, base, inputs })
}
