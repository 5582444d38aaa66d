//! Asset enrichment, as Splunk ES does it at search time (cim-mapping.md section 3.2): an asset
//! list in ES's CSV format fills `src_*`, `dest_*` and `dvc_*` fields (`dest_category`,
//! `dest_priority`, `dest_bunit`, `dest_owner`, ...) of normalized events.
//!
//! Columns: `ip`, `mac`, `nt_host`, `dns`, `owner`, `priority`, `lat`, `long`, `city`,
//! `country`, `bunit`, `category`, `pci_domain`, `is_expected`, `should_timesync`,
//! `should_update`, `requires_av` (any other column is carried the same way). `ip`, `mac`,
//! `dns`, `bunit` and `category` may hold several values separated by `|`; an `ip` item is an
//! address, a CIDR block (`10.0.0.0/8`) or a range (`10.0.0.1-10.0.0.9`).
//!
//! For each of `src`, `dest`, `dvc` (CIM values; then `src_ip`/`dest_ip` when the base field
//! holds a name), the first value that finds an asset wins, looked up by `ip` (an exact address
//! first, then the narrowest CIDR or range holding it), then `mac`, then `nt_host`, then `dns`,
//! names compared without ASCII case. On a hit the event gets `<prefix>_<column>` for every
//! non-empty column but `ip` (`dest_ip` is the event's own). ES's exact tie-breaking between
//! overlapping blocks is not documented: narrowest first is our choice. Cell values are kept
//! for the life of the process (see `normalize::forever`), so enriching allocates nothing.

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use super::normalize::forever;
use super::{Event, FieldId, FieldTable, Origin};

/// Columns whose cells may hold several `|`-separated values.
const MULTI_VALUE: &[&str] = &["ip", "mac", "dns", "bunit", "category"];

/// Why an asset file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AssetError {
    /// The file could not be read or is not CSV.
    #[error("cannot read asset list `{}`", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: csv::Error,
    },
    /// No key column.
    #[error("asset list `{}` has none of the key columns `ip`, `mac`, `nt_host`, `dns`", path.display())]
    NoKeyColumn {
        /// The file.
        path: PathBuf,
    },
}

/// One problem in a row that was otherwise used (reported, never fatal).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetWarning {
    /// 1-based line of the row.
    pub line: u64,
    /// What was wrong.
    pub message: String,
}

#[derive(Debug)]
struct Asset {
    /// `(column index, values)` of every non-empty output column.
    cells: Vec<(usize, Vec<&'static str>)>,
}

/// An IP block: every address from `low` to `high` (same family), narrower is preferred.
#[derive(Debug)]
struct Block {
    low: u128,
    high: u128,
    is_v4: bool,
    asset: usize,
}

/// A loaded asset list with its lookup indexes.
#[derive(Debug)]
pub struct Assets {
    columns: Vec<String>,
    assets: Vec<Asset>,
    by_ip: HashMap<IpAddr, usize>,
    blocks: Vec<Block>,
    by_mac: HashMap<String, usize>,
    by_nt_host: HashMap<String, usize>,
    by_dns: HashMap<String, usize>,
    /// Output field ids per prefix (`src`, `dest`, `dvc`) and column.
    outputs: Vec<Prefix>,
}

#[derive(Debug)]
struct Prefix {
    /// The CIM fields whose values are looked up, in order (`dest`, then `dest_ip`).
    keys: Vec<FieldId>,
    /// `<prefix>_<column>` per column (`None` for `ip`).
    fields: Vec<Option<FieldId>>,
}

impl Assets {
    /// Reads `path`, interning the output field names into `fields`.
    ///
    /// # Errors
    /// The file cannot be read, is not CSV, or has no key column.
    pub fn load(
        path: &Path,
        fields: &mut FieldTable,
    ) -> Result<(Assets, Vec<AssetWarning>), AssetError> {
        let read_error = |source| AssetError::Read {
            path: path.to_path_buf(),
            source,
        };
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_path(path)
            .map_err(read_error)?;
        let columns: Vec<String> = reader
            .headers()
            .map_err(read_error)?
            .iter()
            .map(|column| column.trim().to_ascii_lowercase())
            .collect();
        let column = |name: &str| columns.iter().position(|column| column == name);
        let keys = [
            column("ip"),
            column("mac"),
            column("nt_host"),
            column("dns"),
        ];
        if keys.iter().all(Option::is_none) {
            return Err(AssetError::NoKeyColumn {
                path: path.to_path_buf(),
            });
        }
        let [ip, mac, nt_host, dns] = keys;
        let mut assets = Assets {
            outputs: ["src", "dest", "dvc"]
                .iter()
                .map(|prefix| Prefix {
                    keys: std::iter::once(fields.intern(prefix))
                        .chain((*prefix != "dvc").then(|| fields.intern(&format!("{prefix}_ip"))))
                        .collect(),
                    fields: columns
                        .iter()
                        .map(|column| {
                            (column != "ip").then(|| fields.intern(&format!("{prefix}_{column}")))
                        })
                        .collect(),
                })
                .collect(),
            columns,
            assets: Vec::new(),
            by_ip: HashMap::new(),
            blocks: Vec::new(),
            by_mac: HashMap::new(),
            by_nt_host: HashMap::new(),
            by_dns: HashMap::new(),
        };
        let mut warnings = Vec::new();
        for record in reader.records() {
            let record = record.map_err(read_error)?;
            let line = record.position().map_or(0, csv::Position::line);
            let index = assets.assets.len();
            let cells: Vec<(usize, Vec<&'static str>)> = record
                .iter()
                .enumerate()
                .filter_map(|(at, cell)| {
                    let name = assets.columns.get(at)?;
                    let values: Vec<&'static str> =
                        split_cell(name, cell).into_iter().map(forever).collect();
                    (!values.is_empty()).then_some((at, values))
                })
                .collect();
            let cell = |at: Option<usize>| {
                at.and_then(|at| cells.iter().find(|(column, _)| *column == at))
                    .map(|(_, values)| values.as_slice())
                    .unwrap_or_default()
            };
            for item in cell(ip) {
                match parse_ip_item(item) {
                    Some(IpItem::Exact(address)) => {
                        assets.by_ip.entry(address).or_insert(index);
                    }
                    Some(IpItem::Block { low, high, is_v4 }) => assets.blocks.push(Block {
                        low,
                        high,
                        is_v4,
                        asset: index,
                    }),
                    None => warnings.push(AssetWarning {
                        line,
                        message: format!(
                            "`{item}` is not an IP address, CIDR block or range; ignored"
                        ),
                    }),
                }
            }
            for (map, at) in [
                (&mut assets.by_mac, mac),
                (&mut assets.by_nt_host, nt_host),
                (&mut assets.by_dns, dns),
            ] {
                for value in cell(at) {
                    map.entry(value.to_ascii_lowercase()).or_insert(index);
                }
            }
            assets.assets.push(Asset { cells });
        }
        // Narrowest block first, file order among equals.
        assets.blocks.sort_by_key(|block| block.high - block.low);
        Ok((assets, warnings))
    }

    /// How many assets the list holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.assets.len()
    }

    /// Whether the list is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.assets.is_empty()
    }

    /// Adds the asset fields of `src`, `dest` and `dvc` to `event`.
    pub fn enrich(&self, event: &mut Event<'_>) {
        for prefix in &self.outputs {
            let found = prefix.keys.iter().find_map(|key| {
                event
                    .values_from(*key, Origin::Cim)
                    .find_map(|value| self.find(value))
            });
            let Some(asset) = found.and_then(|index| self.assets.get(index)) else {
                continue;
            };
            for (column, values) in &asset.cells {
                if let Some(Some(field)) = prefix.fields.get(*column) {
                    for value in values {
                        event.push_cim(*field, *value);
                    }
                }
            }
        }
    }

    /// The asset of one value: by IP, then MAC, then `nt_host`, then `dns`.
    fn find(&self, value: &str) -> Option<usize> {
        let value = value.trim();
        if let Ok(address) = value.parse::<IpAddr>() {
            if let Some(&index) = self.by_ip.get(&address) {
                return Some(index);
            }
            let (number, is_v4) = ip_number(address);
            if let Some(block) = self
                .blocks
                .iter()
                .find(|block| block.is_v4 == is_v4 && block.low <= number && number <= block.high)
            {
                return Some(block.asset);
            }
        }
        let lower = value.to_ascii_lowercase();
        self.by_mac
            .get(&lower)
            .or_else(|| self.by_nt_host.get(&lower))
            .or_else(|| self.by_dns.get(&lower))
            .copied()
    }
}

fn split_cell<'a>(column: &str, cell: &'a str) -> Vec<&'a str> {
    let cell = cell.trim();
    if cell.is_empty() {
        return Vec::new();
    }
    if MULTI_VALUE.contains(&column) {
        cell.split('|')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .collect()
    } else {
        vec![cell]
    }
}

enum IpItem {
    Exact(IpAddr),
    Block { low: u128, high: u128, is_v4: bool },
}

fn ip_number(address: IpAddr) -> (u128, bool) {
    match address {
        IpAddr::V4(v4) => (u128::from(u32::from(v4)), true),
        IpAddr::V6(v6) => (u128::from(v6), false),
    }
}

fn parse_ip_item(item: &str) -> Option<IpItem> {
    if let Some((network, bits)) = item.split_once('/') {
        let (number, is_v4) = ip_number(network.trim().parse().ok()?);
        let width: u32 = if is_v4 { 32 } else { 128 };
        let bits: u32 = bits.trim().parse().ok().filter(|bits| *bits <= width)?;
        let host_bits = width - bits;
        let mask = if host_bits >= 128 {
            u128::MAX
        } else {
            (1u128 << host_bits) - 1
        };
        return Some(IpItem::Block {
            low: number & !mask,
            high: number | mask,
            is_v4,
        });
    }
    if let Some((low, high)) = item.split_once('-') {
        let (low, low_v4) = ip_number(low.trim().parse().ok()?);
        let (high, high_v4) = ip_number(high.trim().parse().ok()?);
        return (low_v4 == high_v4 && low <= high).then_some(IpItem::Block {
            low,
            high,
            is_v4: low_v4,
        });
    }
    item.parse().ok().map(IpItem::Exact)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `text` to a file named for the test, and loads it.
    fn load(test: &str, text: &str) -> (Assets, Vec<AssetWarning>, FieldTable) {
        let path = temp_file(test, text);
        let mut fields = FieldTable::new();
        let (assets, warnings) = Assets::load(&path, &mut fields).unwrap();
        (assets, warnings, fields)
    }

    fn temp_file(test: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("detc-assets-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{test}.csv"));
        std::fs::write(&path, text).unwrap();
        path
    }

    fn values(event: &Event<'_>, fields: &FieldTable, name: &str) -> Vec<String> {
        fields
            .get(name)
            .map(|id| {
                event
                    .values_from(id, Origin::Cim)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn ip_then_cidr_then_names() {
        let (assets, warnings, mut fields) = load(
            "ip_then_cidr_then_names",
            "ip,mac,nt_host,dns,owner,priority,bunit,category\n\
             10.0.0.5,,mail01,mail01.corp.local,alice,high,it,email_server|pci\n\
             10.0.0.0/24,,,,,low,,office\n\
             10.0.0.1-10.0.0.9,,,,,medium,,range\n\
             not-an-ip,,web01,,bob,,,web_server\n",
        );
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].line, 5);
        let src = fields.intern("src");
        let dest = fields.intern("dest");
        let dest_ip = fields.intern("dest_ip");
        let dvc = fields.intern("dvc");
        let mut event = Event::new("");
        event.push_cim(src, "10.0.0.5");
        event.push_cim(dest, "WEB01");
        event.push_cim(dest_ip, "10.0.0.200");
        event.push_cim(dvc, "10.0.0.7");
        assets.enrich(&mut event);
        assert_eq!(
            values(&event, &fields, "src_category"),
            ["email_server", "pci"]
        );
        assert_eq!(values(&event, &fields, "src_priority"), ["high"]);
        assert_eq!(values(&event, &fields, "src_nt_host"), ["mail01"]);
        assert!(
            values(&event, &fields, "src_ip").is_empty(),
            "ip is not copied"
        );
        // `dest` is a name found by nt_host, before dest_ip's CIDR.
        assert_eq!(values(&event, &fields, "dest_category"), ["web_server"]);
        assert_eq!(values(&event, &fields, "dest_owner"), ["bob"]);
        // The narrowest block wins: the range (9 addresses) over the /24.
        assert_eq!(values(&event, &fields, "dvc_category"), ["range"]);
    }

    #[test]
    fn a_file_without_key_columns_is_an_error() {
        let path = temp_file("no_key_columns", "owner,priority\nalice,high\n");
        let mut fields = FieldTable::new();
        assert!(matches!(
            Assets::load(&path, &mut fields),
            Err(AssetError::NoKeyColumn { .. })
        ));
    }
}
