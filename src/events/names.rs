//! Interned names: field names and data model dataset names become small integer ids.
//!
//! An event never stores a field name. Readers intern each name they meet once into a
//! [`FieldTable`], and events carry the [`FieldId`]. Whoever builds plans over events (the CIM
//! mappings, later the detection engine) interns the names it reads *before* reading starts,
//! so those ids are fixed; a table cloned for a second thread keeps them. Names a reader meets
//! later (a JSON key nobody asked for) get ids local to the table that minted them.
//!
//! [`Projection`] is the set of field ids someone reads; readers skip the others (they do not
//! even intern their names), which is most of the work saved on wide JSON events.

use std::collections::HashMap;
use std::fmt;

/// The hasher for name lookups: field names are short, and this lookup runs once per field per
/// event, so a fast non-cryptographic hash pays (foldhash is hashbrown's default, seeded per table).
type NameMap<K> = HashMap<Box<str>, K, foldhash::fast::RandomState>;

/// A field name, interned in a [`FieldTable`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldId(u32);

impl FieldId {
    /// `_time`: the event time ([`crate::events::Event::time`]).
    pub const TIME: FieldId = FieldId(0);
    /// `_raw`: the record text as read.
    pub const RAW: FieldId = FieldId(1);
    /// `source`.
    pub const SOURCE: FieldId = FieldId(2);
    /// `sourcetype`.
    pub const SOURCETYPE: FieldId = FieldId(3);
    /// `host`.
    pub const HOST: FieldId = FieldId(4);

    /// The id as an index (ids are dense from 0).
    #[must_use]
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// Whether this is one of the five reserved fields an event holds in slots of their own.
    #[must_use]
    pub fn is_reserved(self) -> bool {
        self.0 < RESERVED.len() as u32
    }
}

/// The reserved field names, in id order (see the `FieldId` constants).
const RESERVED: [&str; 5] = ["_time", "_raw", "source", "sourcetype", "host"];

/// Names interned to dense `u32` indices: the one interner behind [`FieldTable`] and
/// [`DatasetTable`].
#[derive(Clone, Default)]
struct Interner {
    names: Vec<Box<str>>,
    index: NameMap<u32>,
}

impl Interner {
    /// The index of `name`, interning it if it is new; `None` once `limit` names are interned.
    fn intern(&mut self, name: &str, limit: u32) -> Option<u32> {
        if let Some(&index) = self.index.get(name) {
            return Some(index);
        }
        let index = u32::try_from(self.names.len())
            .ok()
            .filter(|&i| i < limit)?;
        self.names.push(name.into());
        self.index.insert(name.into(), index);
        Some(index)
    }

    fn get(&self, name: &str) -> Option<u32> {
        self.index.get(name).copied()
    }

    fn name(&self, index: usize) -> &str {
        self.names.get(index).map_or("", |name| name)
    }
}

/// Field names interned to [`FieldId`]s. Starts with the reserved names at their fixed ids.
#[derive(Clone)]
pub struct FieldTable {
    names: Interner,
}

impl Default for FieldTable {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for FieldTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FieldTable")
            .field("len", &self.len())
            .finish()
    }
}

impl FieldTable {
    /// A table holding only the reserved names (`_time`, `_raw`, `source`, `sourcetype`, `host`).
    #[must_use]
    pub fn new() -> Self {
        let mut table = FieldTable {
            names: Interner::default(),
        };
        for name in RESERVED {
            table.intern(name);
        }
        table
    }

    /// The id of `name`, interning it if it is new.
    pub fn intern(&mut self, name: &str) -> FieldId {
        // u32 ids: a table with four billion names is a memory problem long before this runs
        // out; the last id is shared rather than panicking.
        FieldId(self.names.intern(name, u32::MAX).unwrap_or(u32::MAX))
    }

    /// The id of `name` if it was interned.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<FieldId> {
        self.names.get(name).map(FieldId)
    }

    /// The name of `id` (empty for an id from another table).
    #[must_use]
    pub fn name(&self, id: FieldId) -> &str {
        self.names.name(id.index())
    }

    /// How many names are interned.
    #[must_use]
    pub fn len(&self) -> usize {
        self.names.names.len()
    }

    /// Always `false`: the reserved names are interned from the start.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A data model dataset such as `Endpoint.Processes`, interned in a [`DatasetTable`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DatasetId(u16);

impl DatasetId {
    /// The id as an index (ids are dense from 0).
    #[must_use]
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// Dataset names (`Endpoint.Processes`, `Network_Traffic.All_Traffic`) interned to [`DatasetId`]s.
#[derive(Clone, Default)]
pub struct DatasetTable {
    names: Interner,
}

impl fmt::Debug for DatasetTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.names.names.iter()).finish()
    }
}

impl DatasetTable {
    /// An empty table.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The id of `name`, interning it if it is new; `None` past 65,536 datasets (the CIM has
    /// about a hundred).
    pub fn intern(&mut self, name: &str) -> Option<DatasetId> {
        let index = self.names.intern(name, u32::from(u16::MAX) + 1)?;
        u16::try_from(index).ok().map(DatasetId)
    }

    /// The id of `name` if it was interned.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<DatasetId> {
        self.names
            .get(name)
            .and_then(|i| u16::try_from(i).ok())
            .map(DatasetId)
    }

    /// Every interned dataset, in id order.
    pub fn ids(&self) -> impl Iterator<Item = DatasetId> + '_ {
        (0..self.names.names.len()).filter_map(|index| u16::try_from(index).ok().map(DatasetId))
    }

    /// The name of `id` (empty for an id from another table).
    #[must_use]
    pub fn name(&self, id: DatasetId) -> &str {
        self.names.name(id.index())
    }

    /// How many datasets are interned.
    #[must_use]
    pub fn len(&self) -> usize {
        self.names.names.len()
    }

    /// Whether no dataset is interned.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Which fields a reader keeps: all of them (the default), or a set of ids.
///
/// Readers always parse what they need for the reserved fields (time, source, host), and skip
/// storing (and interning) any other field the projection does not want.
#[derive(Clone, Debug, Default)]
pub struct Projection {
    /// `None`: every field. `Some(bits)`: bit `i` set when field id `i` is wanted.
    wanted: Option<Vec<u64>>,
}

impl Projection {
    /// Every field.
    #[must_use]
    pub fn all() -> Self {
        Projection { wanted: None }
    }

    /// Only the named fields, interned into `table` (so their ids exist before reading starts).
    pub fn only<'a>(table: &mut FieldTable, names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut projection = Projection {
            wanted: Some(Vec::new()),
        };
        for name in names {
            let id = table.intern(name);
            projection.insert(id);
        }
        projection
    }

    /// Adds `id` to a selective projection (no effect on [`Projection::all`]).
    pub fn insert(&mut self, id: FieldId) {
        if let Some(bits) = &mut self.wanted {
            let word = id.index() / 64;
            if bits.len() <= word {
                bits.resize(word + 1, 0);
            }
            if let Some(slot) = bits.get_mut(word) {
                *slot |= 1 << (id.index() % 64);
            }
        }
    }

    /// Whether every field is kept.
    #[must_use]
    pub fn is_all(&self) -> bool {
        self.wanted.is_none()
    }

    /// Whether field `id` is kept.
    #[must_use]
    pub fn wants(&self, id: FieldId) -> bool {
        match &self.wanted {
            None => true,
            Some(bits) => bits
                .get(id.index() / 64)
                .is_some_and(|word| word & (1 << (id.index() % 64)) != 0),
        }
    }

    /// The id of `name` if this projection keeps it, interning it only when every field is kept:
    /// a selective projection's ids were all interned when it was built, so an unknown name is
    /// not wanted and costs one hash lookup.
    pub fn resolve(&self, table: &mut FieldTable, name: &str) -> Option<FieldId> {
        if self.is_all() {
            Some(table.intern(name))
        } else {
            table.get(name).filter(|&id| self.wants(id))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_names_have_fixed_ids() {
        let table = FieldTable::new();
        assert_eq!(table.get("_time"), Some(FieldId::TIME));
        assert_eq!(table.get("_raw"), Some(FieldId::RAW));
        assert_eq!(table.get("source"), Some(FieldId::SOURCE));
        assert_eq!(table.get("sourcetype"), Some(FieldId::SOURCETYPE));
        assert_eq!(table.get("host"), Some(FieldId::HOST));
        assert!(FieldId::HOST.is_reserved());
    }

    #[test]
    fn interning_is_idempotent_and_case_sensitive() {
        let mut table = FieldTable::new();
        let image = table.intern("Image");
        assert_eq!(table.intern("Image"), image);
        assert_ne!(table.intern("image"), image);
        assert_eq!(table.name(image), "Image");
        assert!(!image.is_reserved());
        // A clone keeps the ids minted before it.
        let mut clone = table.clone();
        assert_eq!(clone.intern("Image"), image);
    }

    #[test]
    fn selective_projection_skips_unknown_names_without_interning() {
        let mut table = FieldTable::new();
        let projection = Projection::only(&mut table, ["Image", "CommandLine"]);
        let before = table.len();
        assert_eq!(projection.resolve(&mut table, "Other"), None);
        assert_eq!(table.len(), before, "an unwanted name is not interned");
        let image = table.get("Image");
        assert_eq!(projection.resolve(&mut table, "Image"), image);
        assert!(!projection.wants(FieldId::RAW));
        let all = Projection::all();
        assert!(all.resolve(&mut table, "Other").is_some());
        assert_eq!(table.len(), before + 1);
    }

    #[test]
    fn dataset_ids() {
        let mut table = DatasetTable::new();
        let processes = table.intern("Endpoint.Processes");
        assert_eq!(table.intern("Endpoint.Processes"), processes);
        let traffic = table.intern("Network_Traffic.All_Traffic");
        assert_ne!(processes, traffic);
        assert_eq!(table.name(traffic.unwrap()), "Network_Traffic.All_Traffic");
    }
}
