//! Size and resolution of figures.

/// Size and resolution of the figures: `width` x `height` layout units at 96 dots per
/// inch; a higher `dpi` scales pixels, fonts, lines and markers together, so a figure
/// looks the same at any resolution, only sharper.
///
/// ```
/// use helplessness::plot::Style;
/// let print = Style { dpi: 300.0, ..Style::default() };
/// assert_eq!(print.pixels(), (3000, 1875));
/// assert!(Style { width: 10, ..Style::default() }.validate().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    /// Width, layout units (pixels at 96 dpi).
    pub width: u32,
    /// Height, layout units.
    pub height: u32,
    /// Dots per inch.
    pub dpi: f64,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            width: 960,
            height: 600,
            dpi: 96.0,
        }
    }
}

impl Style {
    /// Checks that the figure is between 320 x 200 and 4000 x 4000 units and 48 to
    /// 600 dpi (at most about 100 megapixels).
    pub fn validate(&self) -> Result<(), crate::Error> {
        if !(320..=4000).contains(&self.width) {
            return Err(crate::Error::invalid(
                "width",
                self.width,
                "must be 320 to 4000",
            ));
        }
        if !(200..=4000).contains(&self.height) {
            return Err(crate::Error::invalid(
                "height",
                self.height,
                "must be 200 to 4000",
            ));
        }
        if !(48.0..=600.0).contains(&self.dpi) {
            return Err(crate::Error::invalid("dpi", self.dpi, "must be 48 to 600"));
        }
        Ok(())
    }

    /// Scale from layout units to pixels.
    pub(crate) fn scale(&self) -> f64 {
        self.dpi / 96.0
    }

    /// The image's size in pixels.
    pub fn pixels(&self) -> (u32, u32) {
        let s = self.scale();
        (
            (f64::from(self.width) * s).round() as u32,
            (f64::from(self.height) * s).round() as u32,
        )
    }

    /// A font of `size` layout units.
    pub(crate) fn font(&self, size: u32) -> (&'static str, f64) {
        ("sans-serif", f64::from(size) * self.scale())
    }

    /// A length of `n` layout units, in pixels.
    pub(crate) fn px(&self, n: i32) -> i32 {
        (f64::from(n) * self.scale()).round() as i32
    }

    /// A line width of `n` layout units, in pixels (at least 1).
    pub(crate) fn line(&self, n: u32) -> u32 {
        ((f64::from(n) * self.scale()).round() as u32).max(1)
    }
}
