//! Sinks: where records go as a run produces them.

use std::fmt::Write as _;
use std::io::Write;

use crate::error::Error;
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

/// Writes records as CSV with the columns of [`TrialRecord::COLUMNS`]. Numbers are
/// written in Rust's shortest round-trip form, so equal runs give equal bytes; a
/// missing latency is an empty field.
///
/// ```
/// use helplessness::{CsvSink, Sink, protocol};
/// let mut sink = CsvSink::new(Vec::new()).unwrap();
/// protocol::triadic_dog(2)
///     .run_with(1, &protocol::triadic_dog(2).factory().unwrap(), &Default::default(), &mut sink)
///     .unwrap();
/// let bytes = sink.into_inner().unwrap();
/// assert!(bytes.starts_with(b"group,subject,phase,trial,onset_s"));
/// ```
pub struct CsvSink<W: Write> {
    writer: csv::Writer<W>,
    buf: String,
}

impl<W: Write> CsvSink<W> {
    /// A sink writing to `out` (buffered), header first.
    pub fn new(out: W) -> Result<Self, Error> {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(TrialRecord::COLUMNS)?;
        Ok(CsvSink {
            writer,
            buf: String::new(),
        })
    }

    /// Flushes and returns the underlying writer.
    pub fn into_inner(self) -> Result<W, Error> {
        self.writer.into_inner().map_err(|e| Error::Io {
            path: "CSV output".into(),
            source: e.into_error(),
        })
    }

    fn field(&mut self, value: impl std::fmt::Display) -> Result<(), Error> {
        self.buf.clear();
        let _ = write!(self.buf, "{value}");
        self.writer.write_field(&self.buf)?;
        Ok(())
    }
}

impl<W: Write> Sink for CsvSink<W> {
    fn write(&mut self, r: &TrialRecord) -> Result<(), Error> {
        self.writer.write_field(r.group.as_bytes())?;
        self.field(r.subject)?;
        self.writer.write_field(r.phase.as_bytes())?;
        self.field(r.trial)?;
        self.field(r.onset_s)?;
        self.field(r.shock_s)?;
        match r.latency_s {
            Some(l) => self.field(l)?,
            None => self.writer.write_field("")?,
        }
        self.field(r.escaped)?;
        self.field(r.forced)?;
        self.field(r.responses)?;
        let s = r.state;
        for v in [s.c, s.m, s.d, s.h, s.s, s.w, s.g, s.q, s.fear] {
            self.field(v)?;
        }
        self.writer.write_record(None::<&[u8]>)?;
        Ok(())
    }

    fn finish(&mut self) -> Result<(), Error> {
        self.writer.flush().map_err(|e| Error::Io {
            path: "CSV output".into(),
            source: e,
        })
    }
}

/// Writes records as JSON lines: one object per record, the CSV's columns as keys, a
/// missing latency as `null`.
///
/// ```
/// use helplessness::{JsonLinesSink, Sink, protocol};
/// let exp = protocol::triadic_dog(1);
/// let mut sink = JsonLinesSink::new(Vec::new());
/// exp.run_with(1, &exp.factory().unwrap(), &Default::default(), &mut sink).unwrap();
/// let text = String::from_utf8(sink.into_inner().unwrap()).unwrap();
/// assert!(text.lines().next().unwrap().starts_with("{\"group\":\"escapable\""));
/// ```
pub struct JsonLinesSink<W: Write> {
    out: std::io::BufWriter<W>,
}

impl<W: Write> JsonLinesSink<W> {
    /// A sink writing to `out` (buffered).
    pub fn new(out: W) -> Self {
        JsonLinesSink {
            out: std::io::BufWriter::new(out),
        }
    }

    /// Flushes and returns the underlying writer.
    pub fn into_inner(self) -> Result<W, Error> {
        self.out.into_inner().map_err(|e| Error::Io {
            path: "JSON output".into(),
            source: e.into_error(),
        })
    }
}

impl<W: Write> Sink for JsonLinesSink<W> {
    fn write(&mut self, record: &TrialRecord) -> Result<(), Error> {
        let io = |source: std::io::Error| Error::Io {
            path: "JSON output".into(),
            source,
        };
        serde_json::to_writer(&mut self.out, record).map_err(|e| io(e.into()))?;
        self.out.write_all(b"\n").map_err(io)
    }

    fn finish(&mut self) -> Result<(), Error> {
        self.out.flush().map_err(|source| Error::Io {
            path: "JSON output".into(),
            source,
        })
    }
}
