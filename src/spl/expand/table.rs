//! The macro table: definitions keyed by name and arity, as the expander looks them up.

use std::collections::HashMap;

use crate::content::{Content, Macro};

/// The id of a macro definition in a [`MacroTable`], in insertion order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MacroId(u32);

impl MacroId {
    /// The insertion index of the definition.
    #[must_use]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One macro definition as written in `macros/*.yml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MacroDef {
    /// The name, without the `(n)` arity suffix.
    pub name: String,
    /// Argument names, referenced in the definition as `$name$`.
    pub arguments: Vec<String>,
    /// The text a call is replaced by.
    pub definition: String,
}

impl MacroDef {
    /// The definition of a `macros/*.yml` object, if it has a name and a definition.
    #[must_use]
    pub fn from_content(definition: &Macro) -> Option<MacroDef> {
        Some(MacroDef {
            name: definition.name()?.to_owned(),
            arguments: definition
                .argument_names()
                .into_iter()
                .map(str::to_owned)
                .collect(),
            definition: definition.definition.value()?.clone(),
        })
    }
}

/// Macro definitions keyed by (name, arity).
///
/// # Example
/// ```
/// use detc::spl::expand::{MacroDef, MacroTable};
/// let mut table = MacroTable::new();
/// let id = table.insert(MacroDef {
///     name: "sysmon".into(),
///     arguments: vec![],
///     definition: "sourcetype=sysmon".into(),
/// });
/// assert_eq!(table.lookup("sysmon", 0), Some(id));
/// assert_eq!(table.lookup("sysmon", 1), None);
/// ```
#[derive(Clone, Debug, Default)]
pub struct MacroTable {
    defs: Vec<MacroDef>,
    by_name: HashMap<String, Vec<MacroId>>,
}

impl MacroTable {
    /// An empty table.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The macros of a content tree: the one way a table is built from content.
    #[must_use]
    pub fn from_content(content: &Content) -> Self {
        let mut table = Self::new();
        table.add_content(content);
        table
    }

    /// Adds the macros of `content` (those with a name and a definition; the others are
    /// content errors, `M001`), in file order, so a later tree's macro replaces an earlier one
    /// of the same name and arity. Returns, for each id added, the index in `content.macros`.
    pub fn add_content(&mut self, content: &Content) -> Vec<(MacroId, usize)> {
        content
            .macros
            .iter()
            .enumerate()
            .filter_map(|(index, definition)| {
                let def = MacroDef::from_content(definition)?;
                Some((self.insert(def), index))
            })
            .collect()
    }

    /// Adds a definition and returns its id. A later definition with the same name and arity
    /// replaces the earlier one for lookups (duplicates are reported by content validation); the
    /// earlier id stays valid for [`MacroTable::get`].
    pub fn insert(&mut self, def: MacroDef) -> MacroId {
        let id = MacroId(u32::try_from(self.defs.len()).unwrap_or(u32::MAX));
        let arity = def.arguments.len();
        let ids = self.by_name.entry(def.name.clone()).or_default();
        let previous = ids.iter().position(|&other| {
            self.defs.get(other.index()).map(|d| d.arguments.len()) == Some(arity)
        });
        match previous {
            Some(at) => {
                if let Some(slot) = ids.get_mut(at) {
                    *slot = id;
                }
            }
            None => ids.push(id),
        }
        self.defs.push(def);
        id
    }

    /// The definition with this id.
    #[must_use]
    pub fn get(&self, id: MacroId) -> Option<&MacroDef> {
        self.defs.get(id.index())
    }

    /// The definition called as `name` with `arity` arguments.
    #[must_use]
    pub fn lookup(&self, name: &str, arity: usize) -> Option<MacroId> {
        self.by_name
            .get(name)?
            .iter()
            .copied()
            .find(|&id| self.get(id).is_some_and(|def| def.arguments.len() == arity))
    }

    /// The arities `name` is defined with, ascending.
    #[must_use]
    pub fn arities(&self, name: &str) -> Vec<usize> {
        let mut arities: Vec<usize> = self
            .by_name
            .get(name)
            .into_iter()
            .flatten()
            .filter_map(|&id| self.get(id).map(|def| def.arguments.len()))
            .collect();
        arities.sort_unstable();
        arities.dedup();
        arities
    }

    /// The number of definitions inserted.
    #[must_use]
    pub fn len(&self) -> usize {
        self.defs.len()
    }

    /// Whether no definition was inserted.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.defs.is_empty()
    }
}
