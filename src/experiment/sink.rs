//! Sinks: where records go as a run produces them.

use std::io::{BufWriter, Write};
use std::sync::Arc;

use crate::error::Error;
use crate::mind::Variable;
use crate::record::TrialRecord;

/// Receives records in the run's fixed order.
///
/// ```
/// use helplessness::{Sink, TrialRecord, Error};
/// /// Counts failures without keeping records.
/// #[derive(Default)]
/// struct Failures(usize);
/// impl Sink for Failures {
///     fn write(&mut self, r: &TrialRecord) -> Result<(), Error> {
///         self.0 += usize::from(r.failed());
///         Ok(())
///     }
/// }
/// ```
pub trait Sink {
    /// Called once before the first record with the variables the running theory
    /// declares (a CSV sink writes its header here).
    fn start(&mut self, variables: &'static [Variable]) -> Result<(), Error> {
        let _ = variables;
        Ok(())
    }
    /// Takes one record.
    fn write(&mut self, record: &TrialRecord) -> Result<(), Error>;
    /// Called once after the last record.
    fn finish(&mut self) -> Result<(), Error> {
        Ok(())
    }
}

/// Keeps every record in memory.
#[derive(Debug, Default, Clone)]
pub struct VecSink {
    /// The records, in run order.
    pub records: Vec<TrialRecord>,
}

impl Sink for VecSink {
    fn write(&mut self, record: &TrialRecord) -> Result<(), Error> {
        self.records.push(record.clone());
        Ok(())
    }
}

/// Writes records as CSV with the columns of [`TrialRecord::columns`]: the header
/// comes with [`Sink::start`] (or the first record). Numbers are
/// written in their shortest round-trip form (as in the JSON records: `1.0`, `2.5e-7`),
/// so equal runs give equal bytes; a missing latency is an empty field. Group and phase
/// names are quoted by the `csv` crate's rules, once per name.
///
/// ```
/// use helplessness::{CsvSink, Sink, protocol};
/// let mut sink = CsvSink::new(Vec::new()).unwrap();
/// protocol::triadic_dog(2)
///     .runner(1).minds(&protocol::triadic_dog(2).factory().unwrap()).into_sink(&mut sink)
///     .unwrap();
/// let bytes = sink.into_inner().unwrap();
/// assert!(bytes.starts_with(b"group,subject,phase,trial,onset_s"));
/// ```
pub struct CsvSink<W: Write> {
    out: BufWriter<W>,
    /// What errors call the output (a file's path).
    target: String,
    /// Names met so far and their CSV fields, quoted where needed.
    names: Vec<(Arc<str>, Vec<u8>)>,
    /// The line being written, reused so that no row allocates.
    buf: Vec<u8>,
    /// Whether the header has been written.
    started: bool,
}

impl<W: Write> CsvSink<W> {
    /// A sink writing to `out` (buffered).
    pub fn new(out: W) -> Result<Self, Error> {
        Ok(CsvSink {
            out: BufWriter::with_capacity(1 << 16, out),
            target: "CSV output".into(),
            names: Vec::new(),
            buf: Vec::with_capacity(512),
            started: false,
        })
    }

    /// Names the output in errors (a file's path), so a full disk says which file.
    ///
    /// ```
    /// use helplessness::{CsvSink, Sink};
    /// struct Full;
    /// impl std::io::Write for Full {
    ///     fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
    ///         Err(std::io::Error::other("disk full"))
    ///     }
    ///     fn flush(&mut self) -> std::io::Result<()> {
    ///         Err(std::io::Error::other("disk full"))
    ///     }
    /// }
    /// let mut sink = CsvSink::new(Full).unwrap().named("runs/x/records.csv");
    /// let e = sink.finish().unwrap_err();
    /// assert_eq!(e.to_string(), "runs/x/records.csv: disk full");
    /// ```
    pub fn named(mut self, target: &str) -> Self {
        self.target = target.to_string();
        self
    }

    /// Flushes and returns the underlying writer.
    pub fn into_inner(self) -> Result<W, Error> {
        let target = self.target;
        self.out
            .into_inner()
            .map_err(|e| io(&target, e.into_error()))
    }

    /// `name` as a CSV field, quoted by the `csv` crate when it must be.
    fn name(&mut self, name: &Arc<str>) -> Result<usize, Error> {
        if let Some(i) = self
            .names
            .iter()
            .position(|(n, _)| Arc::ptr_eq(n, name) || n == name)
        {
            return Ok(i);
        }
        // A whole record of one field: the closing quote of a quoted field is written
        // only when its record ends. The terminator is then cut off.
        let mut field = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        field.write_record([name.as_bytes()])?;
        let mut bytes = field
            .into_inner()
            .map_err(|e| io(&self.target, e.into_error()))?;
        bytes.pop();
        self.names.push((name.clone(), bytes));
        Ok(self.names.len() - 1)
    }
}

fn io(target: &str, source: std::io::Error) -> Error {
    Error::Io {
        path: target.to_string(),
        source,
    }
}

/// A line being built: numbers formatted by `itoa` and `zmij`, which cost a fraction
/// of `Display` (formatting would otherwise cost more than the simulation).
struct Line<'a>(&'a mut Vec<u8>);

impl Line<'_> {
    fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.0.extend_from_slice(b);
        self.0.push(b',');
        self
    }
    fn integer(&mut self, v: u32) -> &mut Self {
        self.bytes(itoa::Buffer::new().format(v).as_bytes())
    }
    fn float(&mut self, v: f64) -> &mut Self {
        self.bytes(zmij::Buffer::new().format(v).as_bytes())
    }
    fn flag(&mut self, v: bool) -> &mut Self {
        self.bytes(if v { b"true" } else { b"false" })
    }
}

impl<W: Write> Sink for CsvSink<W> {
    fn start(&mut self, variables: &'static [Variable]) -> Result<(), Error> {
        if !self.started {
            let header = TrialRecord::columns(variables).join(",");
            writeln!(self.out, "{header}").map_err(|e| io(&self.target, e))?;
            self.started = true;
        }
        Ok(())
    }

    fn write(&mut self, r: &TrialRecord) -> Result<(), Error> {
        self.start(r.state.variables())?;
        let (g, p) = (self.name(&r.group)?, self.name(&r.phase)?);
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        let mut line = Line(&mut buf);
        line.bytes(&self.names[g].1)
            .integer(r.subject)
            .bytes(&self.names[p].1)
            .integer(r.trial)
            .float(r.onset_s)
            .float(r.shock_s);
        match r.latency_s {
            Some(l) => line.float(l),
            None => line.bytes(b""),
        };
        line.flag(r.escaped).flag(r.forced).integer(r.responses);
        for &v in r.state.values() {
            line.float(v);
        }
        // The last separator becomes the line's end.
        if let Some(last) = buf.last_mut() {
            *last = b'\n';
        }
        let written = self.out.write_all(&buf).map_err(|e| io(&self.target, e));
        self.buf = buf;
        written
    }

    fn finish(&mut self) -> Result<(), Error> {
        self.out.flush().map_err(|e| io(&self.target, e))
    }
}

/// Writes records as JSON lines: one object per record, the CSV's columns as keys, a
/// missing latency as `null`.
///
/// ```
/// use helplessness::{JsonLinesSink, Sink, protocol};
/// let exp = protocol::triadic_dog(1);
/// let mut sink = JsonLinesSink::new(Vec::new());
/// exp.runner(1).into_sink(&mut sink).unwrap();
/// let text = String::from_utf8(sink.into_inner().unwrap()).unwrap();
/// assert!(text.lines().next().unwrap().starts_with("{\"group\":\"escapable\""));
/// ```
pub struct JsonLinesSink<W: Write> {
    out: std::io::BufWriter<W>,
    /// What errors call the output (a file's path).
    target: String,
}

impl<W: Write> JsonLinesSink<W> {
    /// A sink writing to `out` (buffered).
    pub fn new(out: W) -> Self {
        JsonLinesSink {
            out: std::io::BufWriter::new(out),
            target: "JSON output".into(),
        }
    }

    /// Names the output in errors (a file's path), so a full disk says which file.
    pub fn named(mut self, target: &str) -> Self {
        self.target = target.to_string();
        self
    }

    /// Flushes and returns the underlying writer.
    pub fn into_inner(self) -> Result<W, Error> {
        let target = self.target;
        self.out
            .into_inner()
            .map_err(|e| io(&target, e.into_error()))
    }
}

impl<W: Write> Sink for JsonLinesSink<W> {
    fn write(&mut self, record: &TrialRecord) -> Result<(), Error> {
        serde_json::to_writer(&mut self.out, record).map_err(|e| io(&self.target, e.into()))?;
        self.out.write_all(b"\n").map_err(|e| io(&self.target, e))
    }

    fn finish(&mut self) -> Result<(), Error> {
        self.out.flush().map_err(|e| io(&self.target, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Contingency, Experiment, Group, Phase, protocol};

    #[test]
    fn names_with_commas_quotes_and_newlines_read_back_unchanged() {
        let base = protocol::triadic_dog(1);
        let mut exp = Experiment::new("odd names", base.theory.clone());
        exp.groups.push(Group::new("a,b", 1));
        exp.groups
            .push(Group::new("say \"no\"\nthen | <b>", 1).with("p,1", Contingency::NoShock));
        let mut phase: Phase = base.phases[1].clone();
        phase.name = "p,1".into();
        exp.phases.push(phase);
        let mut sink = CsvSink::new(Vec::new()).unwrap();
        exp.runner(1).into_sink(&mut sink).unwrap();
        let bytes = sink.into_inner().unwrap();
        let mut back = Vec::new();
        let variables = exp.theory.variables();
        crate::record::read_records(&bytes[..], crate::record::Format::Csv, variables, |r| {
            back.push(r);
            Ok(())
        })
        .unwrap();
        assert_eq!(back, exp.run(1).unwrap());
    }
}
