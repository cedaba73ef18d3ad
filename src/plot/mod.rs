//! The field's figures, as PNG and SVG, drawn with plotters and the bundled DejaVu Sans
//! font (no system fonts). Colours are the Okabe-Ito palette, which colour-blind
//! readers can tell apart; every group also has its own marker, so figures survive
//! grayscale printing.
//!
//! 1. Mean escape latency (± SEM) by trial of a phase, one line per group.
//! 2. Percentage of subjects failing, by group, with Wilson 95 % intervals.
//! 3. Each subject's mean latency, by group (strip plot): helpless vs not.
//! 4. Internal traces (c, m, d, s, w, G; mean ± SEM by trial) over all phases.
//! 5. When a protocol varies one quantity (a number in its group or scored phase names:
//!    `p=0.5`, `IS-72h`, `day-4`), mean latency against that quantity.

use std::path::Path;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::analysis::Summary;
pub use crate::analysis::wilson;
use crate::error::Error;
use crate::experiment::Experiment;

mod failing;
mod latency;
mod life;
mod parts;
mod quantity;
mod strips;
mod style;
mod sweep;
mod traces;
pub use life::{render_life_figures, write_life_figures};
pub use quantity::quantity;
pub use style::Style;

use failing::failing_by_group;
use latency::latency_by_trial;
use parts::Series;
use quantity::{effect_vs_quantity, group_quantity, phase_quantity, varied_quantity};
use strips::subject_strips;
pub use sweep::write_sweep_figures;
use traces::traces;

/// Width and height of every figure, pixels.
pub const SIZE: (u32, u32) = (960, 600);

/// The figures' colours (Okabe-Ito, colour-blind safe), as `#RRGGBB`: the teaching
/// page draws with them too.
pub const PALETTE_HEX: [&str; 8] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
];

/// Okabe-Ito colours.
const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
    RGBColor(240, 228, 66),
];

fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

static FONT: Once = Once::new();

/// Registers the bundled font as "sans-serif" (once per process).
fn register_font() {
    FONT.call_once(|| {
        let _ = plotters::style::register_font(
            "sans-serif",
            FontStyle::Normal,
            dejavu::sans::regular(),
        );
    });
}

/// A drawing error, named after the figure's file.
fn named(e: Error, path: &Path) -> Error {
    match e {
        Error::Io { source, .. } => crate::atomic::io_error(path, source),
        other => other,
    }
}

/// An RGB image as PNG bytes.
fn encode_png(pixels: &[u8], (w, h): (u32, u32)) -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .and_then(|mut image| image.write_image_data(pixels))
        .map_err(fail)?;
    Ok(bytes)
}

fn fail(e: impl std::fmt::Display) -> Error {
    Error::Io {
        path: "figure".into(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// One of the figures, with what it needs beyond the run.
enum Figure<'a> {
    LatencyByTrial,
    Failing,
    SubjectLatencies,
    Traces,
    EffectVsQuantity(&'a str, &'a Series),
}

impl Figure<'_> {
    /// Draws this figure onto `area`, whatever the backend.
    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        exp: &Experiment,
        summary: &Summary,
        phase: &str,
        st: &Style,
    ) -> Result<(), Error> {
        match self {
            Figure::LatencyByTrial => latency_by_trial(area, exp, summary, phase, st),
            Figure::Failing => failing_by_group(area, exp, summary, phase, st),
            Figure::SubjectLatencies => subject_strips(area, exp, summary, phase, st),
            Figure::Traces => traces(area, exp, summary, st),
            Figure::EffectVsQuantity(axis, series) => {
                effect_vs_quantity(area, exp, axis, series, phase, st)
            }
        }
    }
}

/// Caption of the traces figure (`traces.png`), which covers every phase.
pub const TRACES_CAPTION: &str = "Internal state by trial over all phases";

/// Writes figures 1-4 (and 5 when the protocol varies a quantity by name) for `phase`
/// into `dir` as PNG and SVG, returning (caption, file name of the PNG) for each, in
/// order.
///
/// ```
/// use helplessness::{analysis::Summary, plot, protocol};
/// let exp = protocol::triadic_dog(8);
/// let mut summary = Summary::new(&exp);
/// exp.runner(1).into_sink(&mut summary).unwrap();
/// let dir = tempfile::tempdir().unwrap();
/// let figures = plot::write_figures(dir.path(), &exp, &summary, "test").unwrap();
/// assert_eq!(figures.len(), 4);
/// assert!(dir.path().join("latency-by-trial.svg").exists());
/// ```
pub fn write_figures(
    dir: &Path,
    exp: &Experiment,
    summary: &Summary,
    phase: &str,
) -> Result<Vec<(String, String)>, Error> {
    let st = &Style::default();
    prepare(dir)?;
    let varied = varied_quantity(exp, summary);
    let mut figures = vec![
        (
            "latency-by-trial",
            format!("Mean escape latency (± SEM) by trial, {phase}"),
            Figure::LatencyByTrial,
        ),
        (
            "failing",
            format!("Subjects failing, with Wilson 95 % intervals, {phase}"),
            Figure::Failing,
        ),
        (
            "subject-latencies",
            format!("Each subject's mean latency, {phase}"),
            Figure::SubjectLatencies,
        ),
        ("traces", TRACES_CAPTION.to_string(), Figure::Traces),
    ];
    if let Some((axis, series)) = &varied {
        figures.push((
            "effect-vs-quantity",
            format!("Mean escape latency against the quantity varied in {axis}"),
            Figure::EffectVsQuantity(axis, series),
        ));
    }
    let mut written = Vec::with_capacity(figures.len());
    for (stem, caption, figure) in figures {
        written.push(draw(stem, caption, &figure, exp, summary, phase, st)?.write(dir)?);
    }
    Ok(written)
}

/// Writes the figures of a whole run into `dir`: figures 1-3 for every scored phase
/// ([`Experiment::scored_phases`]: under the plain names when there is one, otherwise
/// each named `STEM-PHASE`), the traces
/// over all phases once, and figure 5 once for a quantity varied across phases or per
/// scored phase for one varied across groups. `wanted` filters by stem:
/// `latency-by-trial`, `failing`, `subject-latencies`, `traces` or `effect-vs-quantity`
/// (a summary of only some phases' records cannot redraw the traces over all phases).
/// Returns (caption, file name of the PNG), in order.
///
/// ```
/// use helplessness::{analysis::Summary, plot, protocol};
/// let exp = protocol::bundled("forced-exposure-dog").unwrap().experiment.with_subjects(3);
/// let mut summary = Summary::new(&exp);
/// exp.runner(1).into_sink(&mut summary).unwrap();
/// let dir = tempfile::tempdir().unwrap();
/// let figures = plot::write_run_figures(dir.path(), &exp, &summary, |_| true).unwrap();
/// // Both scored tests, before and after the forced exposure, get their figures.
/// assert!(dir.path().join("latency-by-trial-test-1.png").exists());
/// assert!(dir.path().join("latency-by-trial-test-2.png").exists());
/// assert!(figures.iter().any(|(_, f)| f == "effect-vs-quantity-test-2.png"));
/// // All but the traces, as for a run that kept only its test records.
/// let other = tempfile::tempdir().unwrap();
/// plot::write_run_figures(other.path(), &exp, &summary, |stem| stem != "traces").unwrap();
/// assert!(!other.path().join("traces.png").exists());
/// ```
pub fn write_run_figures(
    dir: &Path,
    exp: &Experiment,
    summary: &Summary,
    wanted: impl Fn(&str) -> bool,
) -> Result<Vec<(String, String)>, Error> {
    write_run_figures_with(dir, exp, summary, wanted, &FigureOptions::default())
}

/// Which of a run's figures to draw, and at what size.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FigureOptions {
    /// Size and resolution.
    pub style: Style,
    /// Only this scored phase's figures (and no traces); every scored phase when `None`.
    pub phase: Option<String>,
}

/// [`write_run_figures`] with a size, a resolution and a choice of phase.
///
/// ```
/// use helplessness::{analysis::Summary, plot::{self, FigureOptions, Style}, protocol};
/// let exp = protocol::bundled("forced-exposure-dog").unwrap().experiment.with_subjects(3);
/// let mut summary = Summary::new(&exp);
/// exp.runner(1).into_sink(&mut summary).unwrap();
/// let dir = tempfile::tempdir().unwrap();
/// let options = FigureOptions {
///     style: Style { width: 640, height: 480, dpi: 192.0 },
///     phase: Some("test-2".into()),
/// };
/// let figures = plot::write_run_figures_with(dir.path(), &exp, &summary, |_| true, &options).unwrap();
/// assert!(figures.iter().all(|(_, f)| f.ends_with("-test-2.png")));
/// let unknown = FigureOptions { phase: Some("tset".into()), ..FigureOptions::default() };
/// assert!(plot::write_run_figures_with(dir.path(), &exp, &summary, |_| true, &unknown).is_err());
/// ```
pub fn write_run_figures_with(
    dir: &Path,
    exp: &Experiment,
    summary: &Summary,
    wanted: impl Fn(&str) -> bool,
    options: &FigureOptions,
) -> Result<Vec<(String, String)>, Error> {
    let rendered = render_run_figures(exp, summary, wanted, options)?;
    prepare(dir)?;
    rendered.iter().map(|r| r.write(dir)).collect()
}

/// The figures [`write_run_figures_with`] writes, drawn in memory: for a notebook, a
/// server or a test that has no directory to write into.
///
/// ```
/// use helplessness::{analysis::Summary, plot::{self, FigureOptions}, protocol};
/// let exp = protocol::triadic_dog(4);
/// let mut summary = Summary::new(&exp);
/// exp.runner(1).into_sink(&mut summary).unwrap();
/// let figures = plot::render_run_figures(&exp, &summary, |stem| stem == "failing",
///     &FigureOptions::default()).unwrap();
/// assert_eq!(figures.len(), 1);
/// assert_eq!(figures[0].stem, "failing");
/// assert!(figures[0].png.starts_with(b"\x89PNG") && figures[0].svg.starts_with("<svg"));
/// ```
pub fn render_run_figures(
    exp: &Experiment,
    summary: &Summary,
    wanted: impl Fn(&str) -> bool,
    options: &FigureOptions,
) -> Result<Vec<Rendered>, Error> {
    let st = &options.style;
    st.validate()?;
    let phases = exp.scored_phases();
    if let Some(p) = &options.phase
        && !phases.contains(&p.as_str())
    {
        return Err(Error::invalid(
            "phase",
            p,
            format!(
                "figures are drawn for the scored phases: {}",
                phases.join(", ")
            ),
        ));
    }
    register_font();
    let across_phases = phase_quantity(exp, summary);
    let mut rendered = Vec::new();
    for (k, &phase) in phases.iter().enumerate() {
        let suffix = if phases.len() == 1 {
            String::new()
        } else {
            format!("-{}", crate::atomic::file_safe(phase))
        };
        let mut figures = vec![
            (
                format!("latency-by-trial{suffix}"),
                format!("Mean escape latency (± SEM) by trial, {phase}"),
                Figure::LatencyByTrial,
            ),
            (
                format!("failing{suffix}"),
                format!("Subjects failing, with Wilson 95 % intervals, {phase}"),
                Figure::Failing,
            ),
            (
                format!("subject-latencies{suffix}"),
                format!("Each subject's mean latency, {phase}"),
                Figure::SubjectLatencies,
            ),
        ];
        if options.phase.as_deref().is_some_and(|p| p != phase) {
            continue;
        }
        if k == 0 && options.phase.is_none() {
            figures.push(("traces".into(), TRACES_CAPTION.into(), Figure::Traces));
        }
        let by_group = if across_phases.is_none() {
            group_quantity(summary, phase)
        } else {
            None
        };
        let varied = match (&across_phases, &by_group) {
            (Some(v), _) if k == 0 && options.phase.is_none() => {
                Some((String::from("effect-vs-quantity"), v))
            }
            (None, Some(v)) => Some((format!("effect-vs-quantity{suffix}"), v)),
            _ => None,
        };
        if let Some((stem, (axis, series))) = varied {
            let caption = match &by_group {
                Some(_) => {
                    format!("Mean escape latency against the quantity varied in {axis}, {phase}")
                }
                None => format!("Mean escape latency against the quantity varied in {axis}"),
            };
            figures.push((stem, caption, Figure::EffectVsQuantity(axis, series)));
        }
        for (stem, caption, figure) in figures {
            if wanted(stem.strip_suffix(suffix.as_str()).unwrap_or(&stem)) {
                rendered.push(draw(&stem, caption, &figure, exp, summary, phase, st)?);
            }
        }
    }
    Ok(rendered)
}

/// Registers the font and creates `dir`.
fn prepare(dir: &Path) -> Result<(), Error> {
    register_font();
    std::fs::create_dir_all(dir).map_err(|source| crate::atomic::io_error(dir, source))
}

/// A figure with its data, drawable on any backend.
pub(crate) trait Drawing {
    fn draw_on<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        st: &Style,
    ) -> Result<(), Error>;
}

/// One of a run's figures of one phase.
struct RunFigure<'a> {
    figure: &'a Figure<'a>,
    exp: &'a Experiment,
    summary: &'a Summary,
    phase: &'a str,
}

impl Drawing for RunFigure<'_> {
    fn draw_on<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        st: &Style,
    ) -> Result<(), Error> {
        self.figure
            .draw(area, self.exp, self.summary, self.phase, st)
    }
}

/// Draws `figure` of `phase` ([`render`]).
fn draw(
    stem: &str,
    caption: String,
    figure: &Figure<'_>,
    exp: &Experiment,
    summary: &Summary,
    phase: &str,
    st: &Style,
) -> Result<Rendered, Error> {
    let drawing = RunFigure {
        figure,
        exp,
        summary,
        phase,
    };
    render(stem, caption, &drawing, st)
}

/// A figure drawn in memory, as PNG and as SVG.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// File stem (`latency-by-trial`, `failing-test-2`, ...).
    pub stem: String,
    /// Caption, as the report gives it.
    pub caption: String,
    /// The PNG file's bytes.
    pub png: Vec<u8>,
    /// The SVG document.
    pub svg: String,
}

impl Rendered {
    /// Writes `dir/STEM.png` and `.svg`, each whole (a kill or a full disk never
    /// leaves a truncated figure under its final name). Returns (caption, the PNG's
    /// file name).
    pub fn write(&self, dir: &Path) -> Result<(String, String), Error> {
        crate::atomic::write(&dir.join(format!("{}.png", self.stem)), &self.png)?;
        crate::atomic::write(&dir.join(format!("{}.svg", self.stem)), self.svg.as_bytes())?;
        Ok((self.caption.clone(), format!("{}.png", self.stem)))
    }
}

/// Draws `drawing` in memory as PNG and SVG.
pub(crate) fn render(
    stem: &str,
    caption: String,
    drawing: &impl Drawing,
    st: &Style,
) -> Result<Rendered, Error> {
    register_font();
    let png_name = Path::new(stem).with_extension("png");
    let size = st.pixels();
    let mut pixels = vec![0u8; size.0 as usize * size.1 as usize * 3];
    drawing
        .draw_on(
            &BitMapBackend::with_buffer(&mut pixels, size).into_drawing_area(),
            st,
        )
        .map_err(|e| named(e, &png_name))?;
    let png = encode_png(&pixels, size).map_err(|e| named(e, &png_name))?;
    let mut svg = String::new();
    drawing
        .draw_on(
            &SVGBackend::with_string(&mut svg, size).into_drawing_area(),
            st,
        )
        .map_err(|e| named(e, &png_name.with_extension("svg")))?;
    Ok(Rendered {
        stem: stem.to_string(),
        caption,
        png,
        svg,
    })
}

/// Draws `drawing` as `dir/STEM.png` and `.svg` ([`Rendered::write`]). Returns
/// (caption, the PNG's file name).
pub(crate) fn save(
    dir: &Path,
    stem: &str,
    caption: String,
    drawing: &impl Drawing,
    st: &Style,
) -> Result<(String, String), Error> {
    render(stem, caption, drawing, st)?.write(dir)
}

#[cfg(test)]
mod tests {
    use super::quantity;
    use crate::analysis::wilson;

    #[test]
    fn quantities_are_read_from_names() {
        assert_eq!(quantity("p=0.25"), Some((0.25, "p=·".to_string())));
        assert_eq!(quantity("IS-72h"), Some((72.0, "IS-·h".to_string())));
        assert_eq!(quantity("day-4"), Some((4.0, "day-·".to_string())));
        assert_eq!(quantity("escapable"), None);
    }

    #[test]
    fn wilson_interval_matches_a_textbook_value() {
        // Newcombe (1998), example: 81 of 263 -> 0.2553 to 0.3662.
        let (lo, hi) = wilson(81, 263);
        assert_eq!(format!("{lo:.4} {hi:.4}"), "0.2553 0.3662");
    }
}

#[cfg(test)]
mod palette_tests {
    use super::{PALETTE, PALETTE_HEX};

    #[test]
    fn the_hex_palette_is_the_figures_own() {
        for (c, hex) in PALETTE.iter().zip(PALETTE_HEX) {
            assert_eq!(format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2), hex);
        }
    }
}
