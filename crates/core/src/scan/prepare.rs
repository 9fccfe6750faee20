//! Image preprocessing for the decoding attempts that follow the plain one: each turns a grey
//! frame into another grey frame that a decoder may read when it could not read the original.

use super::frame::GreyFrame;

/// Light-on-dark codes (dark-mode screenshots) as dark-on-light.
pub fn invert(frame: &GreyFrame) -> GreyFrame {
    GreyFrame {
        data: frame.data.iter().map(|p| 255 - p).collect(),
        ..frame.clone()
    }
}

/// Half the width and height, averaging 2x2 blocks: large photos whose modules are many pixels
/// wide, and whose noise a decoder mistakes for edges.
pub fn half(frame: &GreyFrame) -> GreyFrame {
    let (width, height) = (frame.width / 2, frame.height / 2);
    let at = |x: usize, y: usize| u16::from(frame.data[y * frame.width + x]);
    let mut data = Vec::with_capacity(width * height);
    for y in 0..height {
        for x in 0..width {
            let sum = at(2 * x, 2 * y)
                + at(2 * x + 1, 2 * y)
                + at(2 * x, 2 * y + 1)
                + at(2 * x + 1, 2 * y + 1);
            data.push((sum / 4) as u8);
        }
    }
    GreyFrame {
        data,
        width,
        height,
    }
}

/// Twice the width and height, bilinear: small codes whose modules are one or two pixels wide.
pub fn double(frame: &GreyFrame) -> GreyFrame {
    let (width, height) = (frame.width * 2, frame.height * 2);
    let at = |x: usize, y: usize| u32::from(frame.data[y * frame.width + x]);
    let mut data = Vec::with_capacity(width * height);
    for y in 0..height {
        // Source coordinate (y - 0.5) / 2 in quarter pixels: the two rows and the weight of the
        // second, 0..=3 (out of 4), clamped at the edges.
        let (y0, y1, wy) = taps(y, frame.height);
        for x in 0..width {
            let (x0, x1, wx) = taps(x, frame.width);
            let top = at(x0, y0) * (4 - wx) + at(x1, y0) * wx;
            let bottom = at(x0, y1) * (4 - wx) + at(x1, y1) * wx;
            data.push(((top * (4 - wy) + bottom * wy + 8) / 16) as u8);
        }
    }
    GreyFrame {
        data,
        width,
        height,
    }
}

/// The two source samples for output position `i` of a doubled axis of length `len`, and the
/// weight of the second in quarters.
fn taps(i: usize, len: usize) -> (usize, usize, u32) {
    if i == 0 {
        return (0, 0, 0);
    }
    let first = (i - 1) / 2;
    let second = (first + 1).min(len - 1);
    let weight = if i % 2 == 1 { 1 } else { 3 };
    (first, second, weight)
}

/// Stretch the middle 98% of grey levels over 0-255: washed-out photos and dim rooms.
pub fn stretch(frame: &GreyFrame) -> GreyFrame {
    let mut histogram = [0usize; 256];
    for &p in &frame.data {
        histogram[usize::from(p)] += 1;
    }
    let cut = frame.data.len() / 100;
    let level = |levels: &[usize]| {
        let mut seen = 0;
        levels
            .iter()
            .copied()
            .find(|&level| {
                seen += histogram[level];
                seen > cut
            })
            .unwrap_or(0)
    };
    let mut levels: Vec<usize> = (0..256).collect();
    let low = level(&levels);
    levels.reverse();
    let high = level(&levels).max(low + 1);
    let span = (high - low) as u32;
    let data = frame
        .data
        .iter()
        .map(|&p| (u32::from(p).saturating_sub(low as u32).min(span) * 255 / span) as u8)
        .collect();
    GreyFrame {
        data,
        ..frame.clone()
    }
}

/// Black where a pixel is darker than the mean of the square around it (half-side `radius`) by
/// more than `margin`, white elsewhere: wrinkled cloth, shadows and strong light gradients, where
/// no threshold suits the whole code. Summed-area table, so any radius costs the same.
pub fn adaptive_threshold(frame: &GreyFrame, radius: usize, margin: u32) -> GreyFrame {
    let (w, h) = (frame.width, frame.height);
    let mut sums = vec![0u32; (w + 1) * (h + 1)];
    for y in 0..h {
        let mut row = 0u32;
        for x in 0..w {
            row += u32::from(frame.data[y * w + x]);
            sums[(y + 1) * (w + 1) + x + 1] = sums[y * (w + 1) + x + 1] + row;
        }
    }
    let mut data = Vec::with_capacity(w * h);
    for y in 0..h {
        let (y0, y1) = (y.saturating_sub(radius), (y + radius + 1).min(h));
        for x in 0..w {
            let (x0, x1) = (x.saturating_sub(radius), (x + radius + 1).min(w));
            let sum = sums[y1 * (w + 1) + x1] + sums[y0 * (w + 1) + x0]
                - sums[y0 * (w + 1) + x1]
                - sums[y1 * (w + 1) + x0];
            let count = ((x1 - x0) * (y1 - y0)) as u32;
            let dark = (u32::from(frame.data[y * w + x]) + margin + 1) * count <= sum;
            data.push(if dark { 0 } else { 255 });
        }
    }
    GreyFrame {
        data,
        width: w,
        height: h,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(width: usize, height: usize, data: Vec<u8>) -> GreyFrame {
        GreyFrame {
            data,
            width,
            height,
        }
    }

    #[test]
    fn double_keeps_flat_areas_and_edges() {
        let doubled = double(&frame(2, 1, vec![0, 200]));
        assert_eq!((doubled.width, doubled.height), (4, 2));
        assert_eq!(doubled.data[..4], [0, 50, 150, 200]);
        assert_eq!(doubled.data[4..], doubled.data[..4]);
    }

    #[test]
    fn stretch_spreads_a_narrow_range() {
        let data: Vec<u8> = (0..200).map(|i| 100 + (i % 50) as u8).collect();
        let stretched = stretch(&frame(200, 1, data));
        assert_eq!(*stretched.data.iter().min().unwrap(), 0);
        assert_eq!(*stretched.data.iter().max().unwrap(), 255);
    }

    #[test]
    fn adaptive_threshold_follows_a_gradient() {
        // A dark dot on a bright left half and one on a dark right half: both come out black,
        // their surroundings white, though the right half's background is darker than the left
        // half's dot.
        let mut data: Vec<u8> = (0..64).map(|x| if x < 32 { 220 } else { 60 }).collect();
        data[10] = 120;
        data[50] = 10;
        let binary = adaptive_threshold(&frame(64, 1, data), 4, 10);
        assert_eq!(binary.data[10], 0);
        assert_eq!(binary.data[50], 0);
        assert_eq!(binary.data[5], 255);
        assert_eq!(binary.data[58], 255);
    }

    #[test]
    fn half_and_invert() {
        let halved = half(&frame(2, 2, vec![0, 100, 200, 100]));
        assert_eq!(halved.data, [100]);
        assert_eq!(invert(&halved).data, [155]);
    }
}
