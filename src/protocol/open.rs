//! A protocol as a user names it (a file, a bundled name) opened as what it is: a
//! laboratory protocol or a life study. The command line and the Python package
//! resolve names the same way through here.

use std::path::Path;

use super::{
    BUNDLED, BUNDLED_LIVES, LifeFile, Loaded, LoadedLife, ProtocolFile, is_life, load, load_life,
    render,
};
use crate::error::Error;

/// A protocol, loaded and validated.
#[derive(Debug, Clone)]
pub enum Opened {
    /// Groups x phases in the laboratory.
    Lab(Box<Loaded>),
    /// People living weeks of opportunities in life domains.
    Life(Box<LoadedLife>),
}

/// The text of the protocol `arg` names and its name in errors: a file's path, else a
/// bundled protocol or life study (a bundled name wins over a file of the same name
/// only when no such file exists, and over a directory of that name always).
///
/// ```
/// use helplessness::protocol;
/// let (text, origin) = protocol::source("triadic-rat")?;
/// assert!(text.contains("[[group]]") && origin == "triadic-rat");
/// let e = protocol::source("triadic-cat").unwrap_err().to_string();
/// assert!(e.contains("did you mean `triadic-rat`"), "{e}");
/// let e = protocol::source("runs/missing.toml").unwrap_err().to_string();
/// assert_eq!(e, "runs/missing.toml: no such protocol file");
/// # Ok::<(), helplessness::Error>(())
/// ```
pub fn source(arg: &str) -> Result<(String, String), Error> {
    let path = Path::new(arg);
    let bundled = BUNDLED.iter().chain(BUNDLED_LIVES).find(|b| b.name == arg);
    if path.is_file() || (path.exists() && bundled.is_none()) {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Protocol {
            file: arg.to_string(),
            line: None,
            column: None,
            message: format!("cannot read the protocol file: {e}"),
        })?;
        return Ok((text, arg.into()));
    }
    if let Some(b) = bundled {
        return Ok((b.text.to_string(), arg.into()));
    }
    if arg.ends_with(".toml") || arg.ends_with(".json") || arg.contains(['/', '\\']) {
        return Err(Error::Protocol {
            file: arg.to_string(),
            line: None,
            column: None,
            message: "no such protocol file".into(),
        });
    }
    let names: Vec<&str> = BUNDLED
        .iter()
        .chain(BUNDLED_LIVES)
        .map(|b| b.name)
        .collect();
    Err(Error::unknown("bundled protocol", arg, &names))
}

/// Whether `text` is a life study: a life file (`[[life]]` phases) or a life run's
/// manifest.json.
pub fn is_life_text(text: &str) -> bool {
    if text.trim_start().starts_with('{') {
        serde_json::from_str::<serde_json::Value>(text).is_ok_and(|v| v["kind"] == "life")
    } else {
        is_life(text)
    }
}

/// Loads `text` (a protocol file, a life file, or a run's manifest.json, which holds
/// the protocol as run) as what it is; `origin` names it in errors.
///
/// ```
/// use helplessness::protocol::{self, Opened};
/// let (text, origin) = protocol::source("life-situational")?;
/// assert!(matches!(protocol::open(&text, &origin)?, Opened::Life(_)));
/// let e = protocol::open("[[group]]\nname = 3\n", "mine.toml").unwrap_err().to_string();
/// assert!(e.starts_with("mine.toml:2:"), "{e}");
/// # Ok::<(), helplessness::Error>(())
/// ```
pub fn open(text: &str, origin: &str) -> Result<Opened, Error> {
    if !is_life_text(text) {
        return Ok(Opened::Lab(Box::new(load(text, origin)?)));
    }
    if !text.trim_start().starts_with('{') {
        return Ok(Opened::Life(Box::new(load_life(text, origin)?)));
    }
    let invalid = |message: String| Error::Protocol {
        file: origin.to_string(),
        line: None,
        column: None,
        message,
    };
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| invalid(format!("not JSON: {e}")))?;
    let file: LifeFile = serde_json::from_value(value["protocol"].clone())
        .map_err(|e| invalid(format!("no life protocol in this manifest: {e}")))?;
    let study = file.to_study().map_err(|e| invalid(format!("{e}")))?;
    Ok(Opened::Life(Box::new(LoadedLife { file, study })))
}

impl Loaded {
    /// The experiment with `subjects` in every group and `seed` as the file's seed,
    /// each when given; validated.
    ///
    /// ```
    /// use helplessness::protocol;
    /// let rat = protocol::bundled("triadic-rat")?.resized(Some(7), Some(3))?;
    /// assert!(rat.experiment.groups.iter().all(|g| g.subjects == 7));
    /// assert_eq!(protocol::complete(&rat, None).seed, 3);
    /// # Ok::<(), helplessness::Error>(())
    /// ```
    pub fn resized(mut self, subjects: Option<u32>, seed: Option<u64>) -> Result<Self, Error> {
        if let Some(n) = subjects {
            self.experiment = self.experiment.with_subjects(n);
            self.experiment.validate()?;
        }
        if let Some(seed) = seed {
            self.file.seed = seed;
        }
        Ok(self)
    }
}

impl LoadedLife {
    /// The study with `subjects` people in every group and `seed` as its seed, each
    /// when given, in the file as in the study; validated.
    ///
    /// ```
    /// use helplessness::protocol;
    /// let life = protocol::bundled_life("life-situational")?.resized(Some(7), Some(3))?;
    /// assert!(life.study.groups.iter().all(|g| g.subjects == 7));
    /// assert_eq!((life.file.subjects, life.file.seed), (7, 3));
    /// # Ok::<(), helplessness::Error>(())
    /// ```
    pub fn resized(mut self, subjects: Option<u32>, seed: Option<u64>) -> Result<Self, Error> {
        if let Some(n) = subjects {
            self.study = self.study.with_subjects(n);
            self.study.validate()?;
            self.file.subjects = n;
            self.file.groups.iter_mut().for_each(|g| g.subjects = None);
        }
        if let Some(seed) = seed {
            self.file.seed = seed;
        }
        Ok(self)
    }
}

/// The protocol as it will run: every default filled in, the seed given (or the
/// file's), the description and source kept.
pub fn complete(loaded: &Loaded, seed: Option<u64>) -> ProtocolFile {
    let mut file = ProtocolFile::complete(
        &loaded.experiment,
        loaded.file.species,
        seed.unwrap_or(loaded.file.seed),
    );
    file.description = loaded.file.description.clone();
    file.source = loaded.file.source.clone();
    file
}

/// The leading comment block of a protocol file.
pub fn leading_comments(text: &str) -> String {
    text.lines()
        .take_while(|l| l.starts_with('#') || l.trim().is_empty())
        .map(|l| format!("{l}\n"))
        .collect::<String>()
        .trim_end()
        .to_string()
        + "\n"
}

/// What `show` prints: a laboratory protocol as a complete, commented file (its own
/// leading comments first), a life file as written (a life run's manifest as TOML).
///
/// ```
/// use helplessness::protocol;
/// let (text, origin) = protocol::source("triadic-rat")?;
/// let shown = protocol::show(&text, &origin)?;
/// // Complete: every default is written out, and the result loads again.
/// assert!(shown.contains("dt_s") && protocol::load(&shown, "shown.toml").is_ok());
/// # Ok::<(), helplessness::Error>(())
/// ```
pub fn show(text: &str, origin: &str) -> Result<String, Error> {
    match open(text, origin)? {
        Opened::Lab(loaded) => Ok(render(&complete(&loaded, None), &leading_comments(text))),
        Opened::Life(loaded) if text.trim_start().starts_with('{') => toml::to_string(&loaded.file)
            .map_err(|e| Error::Protocol {
                file: origin.to_string(),
                line: None,
                column: None,
                message: e.to_string(),
            }),
        Opened::Life(_) => Ok(text.to_string()),
    }
}
