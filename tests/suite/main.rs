//! The integration tests, as one test binary: the library's generic code (the engine
//! for each theory, the sinks, the figures) is compiled and optimized once for all of
//! them, and linked once, instead of once per file.

mod api;
mod cli;
mod common;
mod expectations;
mod figures;
mod follow_ups;
mod format;
mod life;
mod life_protocols;
mod literature;
mod memory;
mod people;
mod protocol_properties;
mod readme;
mod reproducibility;
mod robustness;
mod statistics;
mod sweep;
mod theories;
mod theories_doc;
mod trust;
mod value_stability;
