//! Pillow's own colour quantizers (`Image.quantize`): median cut, maximum
//! coverage and fast octree, with Pillow's k-means refinement.
//!
//! Pillow's palettes depend on the order in which its C hash table hands
//! out colours and on the exact tie-breaking of its sorts and heap, so
//! those structures are reproduced here rather than replaced by Rust's
//! collections: with them the palette and the indices are Pillow's, byte
//! for byte. Pixels come in as RGBA bytes; nothing here panics, whatever
//! the input.

use std::cmp::Ordering;
use std::collections::HashMap;

/// Pillow's `Image.Quantize` methods computed here (`LIBIMAGEQUANT` is not).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    MedianCut,
    MaxCoverage,
    FastOctree,
}

/// A quantized image: one palette index a pixel and the palette (RGBA
/// entries; alpha is meaningful only when quantized with alpha).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quantized {
    pub indices: Vec<u8>,
    pub palette: Vec<[u8; 4]>,
}

/// Why Pillow's core refuses to quantize.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuantizeError {
    /// `colors` is not 1 to 256 ("bad number of colors").
    BadColors,
    /// Only the octree keeps alpha ("image has wrong mode").
    WrongMode,
}

/// A pixel as Pillow's `Pixel` union reads on a little-endian machine:
/// red in the low byte, alpha in the high one.
type Pixel = u32;

fn red(pixel: Pixel) -> u8 {
    pixel as u8
}

fn green(pixel: Pixel) -> u8 {
    (pixel >> 8) as u8
}

fn blue(pixel: Pixel) -> u8 {
    (pixel >> 16) as u8
}

fn alpha(pixel: Pixel) -> u8 {
    (pixel >> 24) as u8
}

fn channel(pixel: Pixel, axis: usize) -> u8 {
    (pixel >> (8 * axis)) as u8
}

fn pack(red: u8, green: u8, blue: u8, alpha: u8) -> Pixel {
    u32::from_le_bytes([red, green, blue, alpha])
}

fn distance(a: Pixel, b: Pixel) -> u32 {
    let square = |x: u8, y: u8| {
        let d = i32::from(x) - i32::from(y);
        (d * d) as u32
    };
    square(red(a), red(b)) + square(green(a), green(b)) + square(blue(a), blue(b))
}

fn pixel_hash(red: u32, green: u32, blue: u32) -> u32 {
    red.wrapping_mul(463) ^ (green << 8).wrapping_mul(10069) ^ (blue << 16).wrapping_mul(64997)
}

/// `(int)value` stored in a byte as Pillow's C does on x86: a NaN or
/// out-of-range value gives `INT_MIN`, whose low byte is 0.
fn c_int_byte(value: f64) -> u8 {
    if (-2_147_483_648.0..2_147_483_648.0).contains(&value) { value as i32 as u8 } else { 0 }
}

/// Pillow's mean of a palette entry: `(int)(.5 + sum / count)` in a byte.
fn rounded_mean(sum: u32, count: u32) -> u8 {
    c_int_byte(0.5 + f64::from(sum) / f64::from(count))
}

/// How a table compares keys: Pillow's counting table compares the hashes
/// of colours shifted right by `scale` bits; its other tables compare red,
/// green, blue.
#[derive(Clone, Copy)]
enum Keys {
    Scaled(u32),
    Exact,
}

#[derive(Clone, Copy)]
struct Entry {
    key: Pixel,
    value: u32,
}

const MIN_LENGTH: u32 = 11;
const RESIZE_FACTOR: u32 = 3;
const MAX_HASH_ENTRIES: u32 = 65536;

/// Pillow's `QuantHash.c` table: chained buckets kept in ascending key
/// order, resized to a "prime" after each new key. Its iteration order
/// decides the median cut's ties and the maximum coverage's choices.
struct Table {
    chains: Vec<Vec<Entry>>,
    count: u32,
    keys: Keys,
}

/// Pillow's `_findPrime`: its divisibility test never fires, so it only
/// looks for a number whose last four bits are 1, 3, 7, 9, 11 or 13.
fn find_prime(mut start: u32, upward: bool) -> u32 {
    const UNIT: [bool; 16] =
        [false, true, false, true, false, false, false, true, false, true, false, true, false, true, false, false];
    while start > 1 && !UNIT[(start & 15) as usize] {
        start = if upward { start.wrapping_add(1) } else { start - 1 };
    }
    start
}

impl Table {
    fn new(keys: Keys) -> Table {
        Table { chains: vec![Vec::new(); MIN_LENGTH as usize], count: 0, keys }
    }

    fn length(&self) -> u32 {
        self.chains.len() as u32
    }

    fn hash(&self, key: Pixel) -> u32 {
        match self.keys {
            Keys::Scaled(scale) => {
                pixel_hash(u32::from(red(key)) >> scale, u32::from(green(key)) >> scale, u32::from(blue(key)) >> scale)
            }
            Keys::Exact => pixel_hash(u32::from(red(key)), u32::from(green(key)), u32::from(blue(key))),
        }
    }

    fn order(&self, a: Pixel, b: Pixel) -> Ordering {
        match self.keys {
            Keys::Scaled(_) => self.hash(a).cmp(&self.hash(b)),
            Keys::Exact => (red(a), green(a), blue(a)).cmp(&(red(b), green(b), blue(b))),
        }
    }

    /// The bucket of `key`, and its place in the chain: found, or where it
    /// would go.
    fn find(&self, key: Pixel) -> (usize, Result<usize, usize>) {
        let bucket = (self.hash(key) % self.length()) as usize;
        for (position, entry) in self.chains[bucket].iter().enumerate() {
            match self.order(entry.key, key) {
                Ordering::Equal => return (bucket, Ok(position)),
                Ordering::Greater => return (bucket, Err(position)),
                Ordering::Less => {}
            }
        }
        (bucket, Err(self.chains[bucket].len()))
    }

    fn add_new(&mut self, bucket: usize, position: usize, entry: Entry) {
        self.chains[bucket].insert(position, entry);
        self.count += 1;
        self.resize();
    }

    /// `hashtable_insert_or_update_computed` with Pillow's counting functions.
    fn count_colour(&mut self, key: Pixel) {
        match self.find(key) {
            (bucket, Ok(position)) => {
                let value = &mut self.chains[bucket][position].value;
                *value = value.wrapping_add(1);
            }
            (bucket, Err(position)) => self.add_new(bucket, position, Entry { key, value: 1 }),
        }
    }

    /// `hashtable_insert`: a found key keeps its stored colour.
    fn insert(&mut self, key: Pixel, value: u32) {
        match self.find(key) {
            (bucket, Ok(position)) => self.chains[bucket][position].value = value,
            (bucket, Err(position)) => self.add_new(bucket, position, Entry { key, value }),
        }
    }

    fn lookup(&self, key: Pixel) -> Option<u32> {
        match self.find(key) {
            (bucket, Ok(position)) => Some(self.chains[bucket][position].value),
            _ => None,
        }
    }

    fn resize(&mut self) {
        let length = self.length();
        let mut size = length;
        if self.count.wrapping_mul(RESIZE_FACTOR) < length {
            size = find_prime(length / 2 - 1, false);
        } else if length.wrapping_mul(RESIZE_FACTOR) < self.count {
            size = find_prime(length.wrapping_mul(2).wrapping_add(1), true);
        }
        if size >= MIN_LENGTH && size != length {
            self.rehash(size, false);
        }
    }

    /// Moves every entry, in iteration order, into `size` buckets; entries
    /// that now compare equal merge (`merge`: values add up) and the later
    /// one's colour is kept, as Pillow's rehash does.
    fn rehash(&mut self, size: u32, merge: bool) {
        let old = std::mem::replace(&mut self.chains, vec![Vec::new(); size as usize]);
        self.count = 0;
        for entry in old.into_iter().flatten() {
            match self.find(entry.key) {
                (bucket, Ok(position)) => {
                    let found = &mut self.chains[bucket][position];
                    found.key = entry.key;
                    found.value = if merge { found.value.wrapping_add(entry.value) } else { entry.value };
                }
                (bucket, Err(position)) => {
                    self.chains[bucket].insert(position, entry);
                    self.count += 1;
                }
            }
        }
    }

    fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.chains.iter().flatten()
    }

    fn entries_mut(&mut self) -> impl Iterator<Item = &mut Entry> {
        self.chains.iter_mut().flatten()
    }
}

/// Quantizes `rgba` (4 bytes a pixel) to at most `colors` colours, as
/// Pillow's `ImagingQuantize` with `kmeans` passes of refinement (median
/// cut and maximum coverage only, as in Pillow). Without `with_alpha` the
/// alpha bytes are ignored; with it (octree only) transparent pixels all
/// count as the first transparent one's colour and the palette keeps alpha.
///
/// For example (the test `the_documented_example_holds` checks it: the
/// crate has no doctests, which would compile it once more):
///
/// ```text
/// let pixels = [255, 0, 0, 255, 0, 0, 255, 255, 255, 0, 0, 255];
/// let result = quantize(&pixels, 2, Method::MedianCut, 0, false).unwrap();
/// assert_eq!(result.indices, vec![0, 1, 0]);
/// assert_eq!(result.palette, vec![[255, 0, 0, 0], [0, 0, 255, 0]]);
/// ```
pub fn quantize(
    rgba: &[u8],
    colors: u32,
    method: Method,
    kmeans: u32,
    with_alpha: bool,
) -> Result<Quantized, QuantizeError> {
    if !(1..=256).contains(&colors) {
        return Err(QuantizeError::BadColors);
    }
    if with_alpha && method != Method::FastOctree {
        return Err(QuantizeError::WrongMode);
    }
    let pixels = pixels_of(rgba, with_alpha);
    if pixels.is_empty() {
        return Ok(Quantized { indices: Vec::new(), palette: Vec::new() });
    }
    let (indices, palette) = match method {
        Method::MedianCut => median_cut(&pixels, colors, kmeans),
        Method::MaxCoverage => max_coverage(&pixels, colors, kmeans),
        Method::FastOctree => octree(&pixels, colors, with_alpha),
    };
    let palette = palette.into_iter().map(|pixel| pixel.to_le_bytes()).collect();
    Ok(Quantized { indices: indices.into_iter().map(|index| index as u8).collect(), palette })
}

fn pixels_of(rgba: &[u8], with_alpha: bool) -> Vec<Pixel> {
    let mut first_transparent: Option<Pixel> = None;
    rgba.chunks_exact(4)
        .map(|pixel| {
            if !with_alpha {
                return pack(pixel[0], pixel[1], pixel[2], 255);
            }
            let value = pack(pixel[0], pixel[1], pixel[2], pixel[3]);
            if pixel[3] != 0 {
                return value;
            }
            *first_transparent.get_or_insert(value)
        })
        .collect()
}

// ---- distances between palette entries, and the nearest entry

/// Pillow's `avgDist` and `avgDistSortKey`: the squared distance between
/// every two entries, and each entry's others nearest first.
struct Distances {
    size: usize,
    between: Vec<u32>,
    nearest: Vec<u16>,
}

impl Distances {
    fn build(palette: &[Pixel]) -> Distances {
        let size = palette.len();
        let mut distances = Distances { size, between: vec![0; size * size], nearest: Vec::with_capacity(size * size) };
        distances.measure(palette);
        for row in 0..size {
            let mut order: Vec<u16> = (0..size as u16).collect();
            order.sort_by_key(|&column| (distances.between[row * size + usize::from(column)], column));
            distances.nearest.extend(order);
        }
        distances
    }

    fn measure(&mut self, palette: &[Pixel]) {
        let size = self.size;
        for i in 0..size {
            for j in 0..i {
                let d = distance(palette[i], palette[j]);
                self.between[i * size + j] = d;
                self.between[j * size + i] = d;
            }
            self.between[i * size + i] = 0;
        }
    }

    /// Pillow's `resort_distance_tables`: new distances, and each row's
    /// previous order passed through Pillow's insertion sort, whose inner
    /// loop compares the slots it has just shifted rather than the moving
    /// entry (so an entry mostly moves one place): its order, not a sorted
    /// one, decides which entries the next search visits.
    fn resort(&mut self, palette: &[Pixel]) {
        self.measure(palette);
        let size = self.size;
        for row in 0..size {
            let between = &self.between[row * size..(row + 1) * size];
            let order = &mut self.nearest[row * size..(row + 1) * size];
            for j in 1..size {
                let moving = order[j];
                let mut k = j;
                while k > 0 && between[usize::from(order[k - 1])] > between[usize::from(order[k])] {
                    order[k] = order[k - 1];
                    k -= 1;
                }
                if k != j {
                    order[k] = moving;
                }
            }
        }
    }

    /// The entry nearest `pixel`, searched from `start` as Pillow does: the
    /// others in `start`'s order until one is more than twice as far from
    /// `start` as `pixel` is.
    fn nearest_from(&self, start: usize, pixel: Pixel, palette: &[Pixel]) -> usize {
        let mut best = distance(palette[start], pixel);
        let mut chosen = start;
        let limit = best << 2;
        let row = start * self.size;
        for &column in &self.nearest[row..row + self.size] {
            let column = usize::from(column);
            if self.between[row + column] > limit {
                break;
            }
            let d = distance(palette[column], pixel);
            if d < best {
                best = d;
                chosen = column;
            }
        }
        chosen
    }
}

fn rgb_key(pixel: Pixel) -> u32 {
    pixel & 0x00ff_ffff
}

/// Pillow's `map_image_pixels`: each colour searched from entry 0.
fn map_from_first(pixels: &[Pixel], palette: &[Pixel], distances: &Distances) -> Vec<u32> {
    let mut known: HashMap<u32, u32> = HashMap::new();
    pixels
        .iter()
        .map(|&pixel| *known.entry(rgb_key(pixel)).or_insert_with(|| distances.nearest_from(0, pixel, palette) as u32))
        .collect()
}

/// Pillow's `k_means`: palette entries moved to the mean of their pixels
/// and pixels remapped until at most `threshold` of them change.
fn k_means(pixels: &[Pixel], palette: &mut [Pixel], indices: &mut [u32], threshold: u32) {
    let size = palette.len();
    let mut sums = [vec![0u32; size], vec![0u32; size], vec![0u32; size]];
    let mut counts = vec![0u32; size];
    for (&pixel, &index) in pixels.iter().zip(indices.iter()) {
        let index = index as usize;
        for (axis, sum) in sums.iter_mut().enumerate() {
            sum[index] = sum[index].wrapping_add(u32::from(channel(pixel, axis)));
        }
        counts[index] = counts[index].wrapping_add(1);
    }
    let mut distances: Option<Distances> = None;
    loop {
        for (index, entry) in palette.iter_mut().enumerate() {
            let mean = |axis: usize| rounded_mean(sums[axis][index], counts[index]);
            *entry = (*entry & 0xff00_0000) | rgb_key(pack(mean(0), mean(1), mean(2), 0));
        }
        let table = match distances.as_mut() {
            None => distances.insert(Distances::build(palette)),
            Some(table) => {
                table.resort(palette);
                table
            }
        };
        let mut known: HashMap<u32, u32> = HashMap::new();
        let mut changes = 0u32;
        for (&pixel, index) in pixels.iter().zip(indices.iter_mut()) {
            let best = *known
                .entry(rgb_key(pixel))
                .or_insert_with(|| table.nearest_from(*index as usize, pixel, palette) as u32);
            if best != *index {
                changes += 1;
                let (to, from) = (best as usize, *index as usize);
                for (axis, sum) in sums.iter_mut().enumerate() {
                    let value = u32::from(channel(pixel, axis));
                    sum[to] = sum[to].wrapping_add(value);
                    sum[from] = sum[from].wrapping_sub(value);
                }
                counts[to] = counts[to].wrapping_add(1);
                counts[from] = counts[from].wrapping_sub(1);
                *index = best;
            }
        }
        if changes <= threshold {
            return;
        }
    }
}

/// `kmeans` as Pillow takes it: 0 no refinement, n stops once at most
/// n - 1 pixels change.
fn refine(pixels: &[Pixel], palette: &mut [Pixel], indices: &mut [u32], kmeans: u32) {
    if kmeans > 0 {
        k_means(pixels, palette, indices, kmeans - 1);
    }
}

// ---- median cut

/// One distinct colour (scaled down by the counting table's shift).
struct ColourNode {
    colour: Pixel,
    count: u32,
}

/// A box of colours: its colours sorted, largest first, along each axis.
struct ColourBox {
    lists: [Vec<usize>; 3],
    children: Option<(usize, usize)>,
    volume: Option<i32>,
    pixel_count: u32,
}

/// Pillow's recursive linked-list merge sort, largest first: its halves
/// and its preference for the second half on ties are kept.
fn merge_sort(list: &[usize], nodes: &[ColourNode], axis: usize) -> Vec<usize> {
    let n = list.len();
    if n <= 1 {
        return list.to_vec();
    }
    let mut middle = 0;
    let mut fast = Some(0usize);
    while let Some(position) = fast {
        middle += 1;
        fast = if position + 2 < n { Some(position + 2) } else { None };
    }
    let first = merge_sort(&list[..middle], nodes, axis);
    let second = merge_sort(&list[middle..], nodes, axis);
    let mut merged = Vec::with_capacity(n);
    let (mut a, mut b) = (0, 0);
    while a < first.len() && b < second.len() {
        if channel(nodes[first[a]].colour, axis) > channel(nodes[second[b]].colour, axis) {
            merged.push(first[a]);
            a += 1;
        } else {
            merged.push(second[b]);
            b += 1;
        }
    }
    merged.extend_from_slice(&first[a..]);
    merged.extend_from_slice(&second[b..]);
    merged
}

fn box_volume(boxes: &mut [ColourBox], nodes: &[ColourNode], index: usize) -> i32 {
    if let Some(volume) = boxes[index].volume {
        return volume;
    }
    let lists = &boxes[index].lists;
    let volume = if lists[0].is_empty() {
        0
    } else {
        let span = |axis: usize| {
            let list = &lists[axis];
            let high = i32::from(channel(nodes[list[0]].colour, axis));
            let low = i32::from(channel(nodes[list[list.len() - 1]].colour, axis));
            high - low + 1
        };
        span(0).wrapping_mul(span(1)).wrapping_mul(span(2))
    };
    boxes[index].volume = Some(volume);
    volume
}

/// Pillow's `split`: along the axis of widest luminance-weighted span, at
/// the colour where half the pixels are passed (colours equal to it go
/// left; if none would go right, the last colour's equals go right).
fn split_box(boxes: &mut Vec<ColourBox>, nodes: &[ColourNode], index: usize) {
    let parent = &boxes[index];
    let span = |axis: usize| {
        let list = &parent.lists[axis];
        i32::from(channel(nodes[list[0]].colour, axis)) - i32::from(channel(nodes[list[list.len() - 1]].colour, axis))
    };
    let weighted = [span(0) * 77, span(1) * 150, span(2) * 29];
    let mut axis = 0;
    for candidate in 1..3 {
        if weighted[axis] < weighted[candidate] {
            axis = candidate;
        }
    }
    let list = &parent.lists[axis];
    let mut right = vec![false; nodes.len()];
    let mut counts = [0u32; 2];
    let mut passed = 0u32;
    let mut position = 0;
    while position < list.len() {
        let count = nodes[list[position]].count;
        passed = passed.wrapping_add(count);
        counts[0] = counts[0].wrapping_add(count);
        position += 1;
        if passed.wrapping_mul(2) > parent.pixel_count {
            break;
        }
    }
    if position < list.len() {
        let edge = channel(nodes[list[position - 1]].colour, axis);
        while position < list.len() && channel(nodes[list[position]].colour, axis) == edge {
            counts[0] = counts[0].wrapping_add(nodes[list[position]].count);
            position += 1;
        }
    }
    let mut moved = 0;
    for &node in &list[position..] {
        right[node] = true;
        moved += 1;
        counts[1] = counts[1].wrapping_add(nodes[node].count);
    }
    if moved == 0 {
        let edge = channel(nodes[list[list.len() - 1]].colour, axis);
        for &node in list.iter().rev() {
            if channel(nodes[node].colour, axis) != edge {
                break;
            }
            right[node] = true;
            counts[0] = counts[0].wrapping_sub(nodes[node].count);
            counts[1] = counts[1].wrapping_add(nodes[node].count);
        }
    }
    let mut sides: [[Vec<usize>; 3]; 2] = Default::default();
    let lists = std::mem::take(&mut boxes[index].lists);
    for (axis, list) in lists.into_iter().enumerate() {
        for node in list {
            sides[usize::from(right[node])][axis].push(node);
        }
    }
    let [left_lists, right_lists] = sides;
    let first = boxes.len();
    for (lists, pixel_count) in [(left_lists, counts[0]), (right_lists, counts[1])] {
        boxes.push(ColourBox { lists, children: None, volume: None, pixel_count });
    }
    boxes[index].children = Some((first, first + 1));
}

/// Pillow's `QuantHeap.c` max-heap on pixel counts (1-based).
struct BoxHeap {
    slots: Vec<usize>,
}

impl BoxHeap {
    fn compare(boxes: &[ColourBox], a: usize, b: usize) -> i32 {
        (boxes[a].pixel_count as i32).wrapping_sub(boxes[b].pixel_count as i32)
    }

    fn add(&mut self, boxes: &[ColourBox], value: usize) {
        self.slots.push(value);
        let mut k = self.slots.len() - 1;
        while k != 1 {
            if Self::compare(boxes, value, self.slots[k / 2]) <= 0 {
                break;
            }
            self.slots[k] = self.slots[k / 2];
            k >>= 1;
        }
        self.slots[k] = value;
    }

    fn remove(&mut self, boxes: &[ColourBox]) -> Option<usize> {
        if self.slots.len() <= 1 {
            return None;
        }
        let top = self.slots[1];
        let last = self.slots.pop().unwrap_or(top);
        let count = self.slots.len() - 1;
        if count == 0 {
            return Some(top);
        }
        let mut k = 1;
        while k * 2 <= count {
            let mut l = k * 2;
            if l < count && Self::compare(boxes, self.slots[l], self.slots[l + 1]) < 0 {
                l += 1;
            }
            if Self::compare(boxes, last, self.slots[l]) > 0 {
                break;
            }
            self.slots[k] = self.slots[l];
            k = l;
        }
        self.slots[k] = last;
        Some(top)
    }
}

/// The counting table of Pillow's `create_pixel_hash`: colours counted,
/// and shifted one bit coarser whenever there are more than 65536.
fn count_colours(pixels: &[Pixel]) -> (Table, u32) {
    let mut scale = 0;
    let mut table = Table::new(Keys::Scaled(scale));
    for &pixel in pixels {
        table.count_colour(pixel);
        while table.count > MAX_HASH_ENTRIES {
            scale += 1;
            table.keys = Keys::Scaled(scale);
            table.rehash(table.length(), true);
        }
    }
    (table, scale)
}

fn leaves_in_order(boxes: &[ColourBox], index: usize, leaves: &mut Vec<usize>) {
    match boxes[index].children {
        Some((left, right)) => {
            leaves_in_order(boxes, left, leaves);
            leaves_in_order(boxes, right, leaves);
        }
        None => leaves.push(index),
    }
}

fn median_cut(pixels: &[Pixel], colors: u32, kmeans: u32) -> (Vec<u32>, Vec<Pixel>) {
    let (mut table, scale) = count_colours(pixels);
    let shift = |pixel: Pixel| pack(red(pixel) >> scale, green(pixel) >> scale, blue(pixel) >> scale, alpha(pixel));
    // Pillow pushes each colour at the front of its lists: reverse order.
    let nodes: Vec<ColourNode> =
        table.entries().map(|entry| ColourNode { colour: shift(entry.key), count: entry.value }).collect();
    let unsorted: Vec<usize> = (0..nodes.len()).rev().collect();
    let lists = [0, 1, 2].map(|axis| merge_sort(&unsorted, &nodes, axis));
    let mut boxes = vec![ColourBox { lists, children: None, volume: None, pixel_count: pixels.len() as u32 }];
    let mut heap = BoxHeap { slots: vec![0] };
    heap.add(&boxes, 0);
    'cutting: for _ in 1..colors {
        let chosen = loop {
            let Some(index) = heap.remove(&boxes) else {
                break 'cutting;
            };
            // Pillow skips boxes of volume 1; only an empty box has volume
            // 0, and none is made, but it must not be split either.
            if box_volume(&mut boxes, &nodes, index) > 1 {
                break index;
            }
        };
        split_box(&mut boxes, &nodes, chosen);
        if let Some((left, right)) = boxes[chosen].children {
            heap.add(&boxes, left);
            heap.add(&boxes, right);
        }
    }
    let mut leaves = Vec::new();
    leaves_in_order(&boxes, 0, &mut leaves);
    let mut entries = 0u32;
    for leaf in leaves {
        if boxes[leaf].lists[0].is_empty() {
            continue;
        }
        for &node in &boxes[leaf].lists[0] {
            let colour = nodes[node].colour;
            let unscaled = pack(red(colour) << scale, green(colour) << scale, blue(colour) << scale, alpha(colour));
            table.insert(unscaled, entries);
        }
        entries += 1;
    }
    let size = entries as usize;
    let boxed: Vec<usize> = pixels.iter().map(|&pixel| table.lookup(pixel).unwrap_or(0) as usize).collect();
    let mut sums = [vec![0u32; size], vec![0u32; size], vec![0u32; size]];
    let mut counts = vec![0u32; size];
    for (&pixel, &entry) in pixels.iter().zip(&boxed) {
        for (axis, sum) in sums.iter_mut().enumerate() {
            sum[entry] = sum[entry].wrapping_add(u32::from(channel(pixel, axis)));
        }
        counts[entry] = counts[entry].wrapping_add(1);
    }
    let mut palette: Vec<Pixel> = (0..size)
        .map(|entry| {
            let mean = |axis: usize| rounded_mean(sums[axis][entry], counts[entry]);
            pack(mean(0), mean(1), mean(2), 0)
        })
        .collect();
    let distances = Distances::build(&palette);
    let mut known: HashMap<u32, u32> = HashMap::new();
    let mut indices: Vec<u32> = pixels
        .iter()
        .zip(&boxed)
        .map(|(&pixel, &entry)| {
            *known.entry(rgb_key(pixel)).or_insert_with(|| distances.nearest_from(entry, pixel, &palette) as u32)
        })
        .collect();
    refine(pixels, &mut palette, &mut indices, kmeans);
    (indices, palette)
}

// ---- maximum coverage

/// Pillow's `quantize2`: the first entry is the colour furthest from the
/// mean, each next one the colour furthest from all entries so far.
fn max_coverage(pixels: &[Pixel], colors: u32, kmeans: u32) -> (Vec<u32>, Vec<Pixel>) {
    let mut table = Table::new(Keys::Exact);
    let mut sums = [0u32; 3];
    for &pixel in pixels {
        table.insert(pixel, u32::MAX);
        for (axis, sum) in sums.iter_mut().enumerate() {
            *sum = sum.wrapping_add(u32::from(channel(pixel, axis)));
        }
    }
    // Pillow divides by its uint32 pixel count (wasm images stay below 2**32 pixels).
    let total = f64::from(pixels.len() as u32);
    let mean = |sum: u32| c_int_byte(0.5 + f64::from(sum) / total);
    let mut centre = pack(mean(sums[0]), mean(sums[1]), mean(sums[2]), 0);
    let mut palette = Vec::with_capacity(colors as usize);
    for round in 0..colors {
        let mut furthest = pixels[0];
        let mut furthest_distance = 0;
        for entry in table.entries_mut() {
            let new_distance = distance(centre, entry.key);
            if round == 1 || new_distance < entry.value {
                entry.value = new_distance;
            }
            if entry.value > furthest_distance {
                furthest_distance = entry.value;
                furthest = entry.key;
            }
        }
        palette.push(furthest);
        centre = furthest;
    }
    let distances = Distances::build(&palette);
    let mut indices = map_from_first(pixels, &palette, &distances);
    refine(pixels, &mut palette, &mut indices, kmeans);
    (indices, palette)
}

// ---- fast octree

#[derive(Clone, Copy, Default)]
struct Bucket {
    count: u32,
    sums: [u64; 4],
}

/// Pillow's `ColorCube`: buckets of colours by their top bits.
#[derive(Clone)]
struct Cube {
    bits: [u32; 4],
    buckets: Vec<Bucket>,
}

impl Cube {
    fn new(bits: [u32; 4]) -> Cube {
        let size = 1usize << bits.iter().sum::<u32>();
        Cube { bits, buckets: vec![Bucket::default(); size] }
    }

    fn offset_of(&self, position: [u32; 4]) -> usize {
        let mut offset = 0usize;
        for (axis, &value) in position.iter().enumerate() {
            offset = (offset << self.bits[axis]) | value as usize;
        }
        offset
    }

    fn offset(&self, pixel: Pixel) -> usize {
        let position: [u32; 4] = std::array::from_fn(|axis| u32::from(channel(pixel, axis)) >> (8 - self.bits[axis]));
        self.offset_of(position)
    }

    fn add(&mut self, pixel: Pixel) {
        let offset = self.offset(pixel);
        let bucket = &mut self.buckets[offset];
        bucket.count = bucket.count.wrapping_add(1);
        for (axis, sum) in bucket.sums.iter_mut().enumerate() {
            *sum += u64::from(channel(pixel, axis));
        }
    }

    fn used(&self) -> usize {
        self.buckets.iter().filter(|bucket| bucket.count > 0).count()
    }

    /// Pillow's `copy_color_cube`: buckets summed into a coarser cube, or
    /// each copied into all the finer buckets it covers.
    fn resized(&self, bits: [u32; 4]) -> Cube {
        let mut result = Cube::new(bits);
        let mut source_shift = [0u32; 4];
        let mut result_shift = [0u32; 4];
        let mut width = [0u32; 4];
        for axis in 0..4 {
            if self.bits[axis] > bits[axis] {
                result_shift[axis] = self.bits[axis] - bits[axis];
                width[axis] = 1 << self.bits[axis];
            } else {
                source_shift[axis] = bits[axis] - self.bits[axis];
                width[axis] = 1 << bits[axis];
            }
        }
        for r in 0..width[0] {
            for g in 0..width[1] {
                for b in 0..width[2] {
                    for a in 0..width[3] {
                        let position = [r, g, b, a];
                        let from = self.offset_of(std::array::from_fn(|axis| position[axis] >> source_shift[axis]));
                        let to = result.offset_of(std::array::from_fn(|axis| position[axis] >> result_shift[axis]));
                        let source = self.buckets[from];
                        let target = &mut result.buckets[to];
                        target.count = target.count.wrapping_add(source.count);
                        for axis in 0..4 {
                            target.sums[axis] = target.sums[axis].wrapping_add(source.sums[axis]);
                        }
                    }
                }
            }
        }
        result
    }

    /// Pillow's `subtract_color_buckets`: each bucket taken out of the one
    /// holding its mean colour.
    fn subtract(&mut self, buckets: &[Bucket]) {
        for bucket in buckets.iter().filter(|bucket| bucket.count > 0) {
            let offset = self.offset(bucket_colour(bucket));
            let minuend = &mut self.buckets[offset];
            minuend.count = minuend.count.wrapping_sub(bucket.count);
            for axis in 0..4 {
                minuend.sums[axis] = minuend.sums[axis].wrapping_sub(bucket.sums[axis]);
            }
        }
    }

    /// Pillow's `create_sorted_color_palette`: most pixels first; glibc's
    /// merge sort keeps equal counts in cube order.
    fn sorted(&self) -> Vec<Bucket> {
        let mut buckets = self.buckets.clone();
        buckets.sort_by_key(|bucket| std::cmp::Reverse(bucket.count));
        buckets
    }

    /// Pillow's `add_lookup_buckets`: the bucket of each entry's colour
    /// holds its index, the lowest index winning.
    fn set_lookups(&mut self, entries: &[Bucket], first: usize) {
        for (index, entry) in entries.iter().enumerate().rev() {
            let offset = self.offset(bucket_colour(entry));
            self.buckets[offset].count = (first + index) as u32;
        }
    }
}

/// A bucket's mean colour as Pillow computes it: in single precision,
/// truncated.
fn bucket_colour(bucket: &Bucket) -> Pixel {
    if bucket.count == 0 {
        return 0;
    }
    let count = bucket.count as f32;
    let mean = |axis: usize| (bucket.sums[axis] as f32 / count).clamp(0.0, 255.0) as u8;
    pack(mean(0), mean(1), mean(2), mean(3))
}

const CUBE_LEVELS: [u32; 8] = [4, 4, 4, 0, 2, 2, 2, 0];
const CUBE_LEVELS_ALPHA: [u32; 8] = [3, 4, 3, 3, 2, 2, 2, 2];

/// Pillow's `quantize_octree`: the coarse cube's used buckets, then the
/// fine cube's most used ones, fill the palette; a pixel takes the entry
/// of its fine bucket, else of its coarse one.
fn octree(pixels: &[Pixel], colors: u32, with_alpha: bool) -> (Vec<u32>, Vec<Pixel>) {
    let levels = if with_alpha { CUBE_LEVELS_ALPHA } else { CUBE_LEVELS };
    let fine_bits = [levels[0], levels[1], levels[2], levels[3]];
    let coarse_bits = [levels[4], levels[5], levels[6], levels[7]];
    let wanted = colors as usize;
    let mut fine = Cube::new(fine_bits);
    for &pixel in pixels {
        fine.add(pixel);
    }
    let mut coarse = fine.resized(coarse_bits);
    let mut coarse_colours = coarse.used().min(wanted);
    let mut fine_colours = wanted - coarse_colours;
    let fine_sorted = fine.sorted();
    coarse.subtract(&fine_sorted[..fine_colours]);
    while coarse_colours > coarse.used() {
        let done = fine_colours;
        coarse_colours = coarse.used();
        fine_colours = wanted - coarse_colours;
        coarse.subtract(&fine_sorted[done..fine_colours]);
    }
    let coarse_sorted = coarse.sorted();
    let mut entries: Vec<Bucket> = coarse_sorted[..coarse_colours].to_vec();
    entries.extend_from_slice(&fine_sorted[..fine_colours]);
    let mut coarse_lookup = Cube::new(coarse_bits);
    coarse_lookup.set_lookups(&entries[..coarse_colours], 0);
    let mut lookup = coarse_lookup.resized(fine_bits);
    lookup.set_lookups(&entries[coarse_colours..], coarse_colours);
    let indices = pixels.iter().map(|&pixel| lookup.buckets[lookup.offset(pixel)].count).collect();
    (indices, entries.iter().map(bucket_colour).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rgb(pixels: &[[u8; 3]]) -> Vec<u8> {
        pixels.iter().flat_map(|p| [p[0], p[1], p[2], 255]).collect()
    }

    #[test]
    fn the_documented_example_holds() {
        let pixels = [255, 0, 0, 255, 0, 0, 255, 255, 255, 0, 0, 255];
        let result = quantize(&pixels, 2, Method::MedianCut, 0, false).unwrap();
        assert_eq!(result.indices, vec![0, 1, 0]);
        assert_eq!(result.palette, vec![[255, 0, 0, 0], [0, 0, 255, 0]]);
    }

    #[test]
    fn bad_colour_counts_and_alpha_with_the_wrong_method_are_refused() {
        let pixels = rgb(&[[1, 2, 3]]);
        assert_eq!(quantize(&pixels, 0, Method::MedianCut, 0, false), Err(QuantizeError::BadColors));
        assert_eq!(quantize(&pixels, 257, Method::FastOctree, 0, false), Err(QuantizeError::BadColors));
        assert_eq!(quantize(&pixels, 2, Method::MaxCoverage, 0, true), Err(QuantizeError::WrongMode));
    }

    #[test]
    fn no_pixels_give_no_palette() {
        for method in [Method::MedianCut, Method::MaxCoverage, Method::FastOctree] {
            let result = quantize(&[], 16, method, 3, method == Method::FastOctree).unwrap();
            assert!(result.indices.is_empty() && result.palette.is_empty());
        }
    }

    #[test]
    fn find_prime_only_looks_at_the_low_bits() {
        assert_eq!(find_prime(23, true), 23);
        assert_eq!(find_prime(24, true), 25);
        assert_eq!(find_prime(4, false), 3);
        assert_eq!(find_prime(15, true), 17);
        // Not prime, but ending in 0b0001.
        assert_eq!(find_prime(33, true), 33);
    }

    #[test]
    fn median_cut_splits_at_the_median_and_averages_each_box() {
        // As Pillow 13: the median's colour and its equals go left, so 10
        // joins 200 and 250 here.
        let pixels = rgb(&[[0, 0, 0], [10, 0, 0], [200, 0, 0], [250, 0, 0]]);
        let result = quantize(&pixels, 2, Method::MedianCut, 0, false).unwrap();
        assert_eq!(result.palette.iter().map(|p| [p[0], p[1], p[2]]).collect::<Vec<_>>(), vec![[153, 0, 0], [0, 0, 0]]);
        assert_eq!(result.indices, vec![1, 1, 0, 0]);
    }

    #[test]
    fn max_coverage_starts_furthest_from_the_mean() {
        let pixels = rgb(&[[0, 0, 0], [10, 0, 0], [200, 0, 0], [250, 0, 0]]);
        let result = quantize(&pixels, 2, Method::MaxCoverage, 0, false).unwrap();
        assert_eq!(result.palette.iter().map(|p| [p[0], p[1], p[2]]).collect::<Vec<_>>(), vec![[250, 0, 0], [0, 0, 0]]);
        assert_eq!(result.indices, vec![1, 1, 0, 0]);
    }

    #[test]
    fn octree_fills_the_palette_and_keeps_alpha() {
        let pixels = [255, 0, 0, 255, 0, 0, 255, 128, 9, 9, 9, 0, 0, 255, 0, 0];
        let result = quantize(&pixels, 4, Method::FastOctree, 0, true).unwrap();
        assert_eq!(result.palette.len(), 4);
        assert_eq!(result.palette[usize::from(result.indices[0])], [255, 0, 0, 255]);
        assert_eq!(result.palette[usize::from(result.indices[1])], [0, 0, 255, 128]);
        // Transparent pixels all take the first transparent pixel's colour.
        assert_eq!(result.indices[2], result.indices[3]);
        assert_eq!(result.palette[usize::from(result.indices[2])], [9, 9, 9, 0]);
    }

    #[test]
    fn every_small_input_gives_indices_inside_the_palette() {
        let mut seed = 12345u32;
        let mut next = move || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (seed >> 16) as u8
        };
        for pixels in [1usize, 2, 3, 7, 40, 300] {
            for shades in [1u8, 2, 5, 255] {
                let data: Vec<u8> = (0..pixels * 4).map(|_| next() % shades.max(1) * (255 / shades.max(1))).collect();
                for colors in [1, 2, 3, 16, 256] {
                    for (method, alpha) in [
                        (Method::MedianCut, false),
                        (Method::MaxCoverage, false),
                        (Method::FastOctree, false),
                        (Method::FastOctree, true),
                    ] {
                        let result = quantize(&data, colors, method, 3, alpha).unwrap();
                        assert_eq!(result.indices.len(), pixels);
                        assert!(result.palette.len() <= colors as usize);
                        assert!(result.indices.iter().all(|&index| usize::from(index) < result.palette.len()));
                    }
                }
            }
        }
    }

    #[test]
    fn many_colours_rescale_the_counting_table_without_panicking() {
        // 70,000 distinct colours: more than the counting table holds.
        let pixels: Vec<u8> =
            (0..70_000u32).flat_map(|i| [i as u8, (i >> 8) as u8, (i >> 16) as u8 * 60, 255]).collect();
        for method in [Method::MedianCut, Method::MaxCoverage, Method::FastOctree] {
            let result = quantize(&pixels, 16, method, 2, false).unwrap();
            assert_eq!(result.indices.len(), 70_000);
            assert!(result.indices.iter().all(|&index| usize::from(index) < result.palette.len()));
        }
    }
}
