//! The expander: walks the search and the macro bodies it expands with an explicit stack,
//! substitutes arguments, charges the size budget and records what went wrong.

use std::ops::Range;

use crate::diagnostic::Code;
use crate::spl::{SplDiagnostic, TextRange};

use super::origin::{Base, Frame, Piece, Sourced, push_piece};
use super::scan::{CallSyntax, Event, next_call};
use super::{
    ExpandConfig, Expansion, ExpansionTrace, MacroId, MacroTable, UnexpandedCall, UnexpandedReason,
};

/// The CIM macro the corpus calls without defining; it means `rename X.* AS *` (Q6, Q8).
const DROP_DM_OBJECT_NAME: &str = "drop_dm_object_name";

/// What the expander writes for an undefined filter macro, as contentctl's auto-created stub (Q5).
const FILTER_STUB: &str = "search *";

/// Charged to the size budget for every expanded call, so that calls to empty macros are not free.
const CALL_COST: usize = 32;

/// A text being scanned: the search or a macro body.
struct Task {
    source: Sourced,
    position: usize,
    /// `None` for the search itself.
    frame: Option<u32>,
}

/// What a call turned into.
enum Resolution {
    /// A macro body to scan next.
    Body(Task),
    /// Already written to the output (expander text or the call verbatim).
    Written,
}

pub(super) struct Expander<'a> {
    macros: &'a MacroTable,
    config: &'a ExpandConfig,
    text: String,
    pieces: Vec<Piece>,
    frames: Vec<Frame>,
    diagnostics: Vec<SplDiagnostic>,
    unexpanded: Vec<UnexpandedCall>,
    spent: usize,
    is_exhausted: bool,
}

impl<'a> Expander<'a> {
    pub(super) fn new(macros: &'a MacroTable, config: &'a ExpandConfig) -> Self {
        Self {
            macros,
            config,
            text: String::new(),
            pieces: Vec::new(),
            frames: Vec::new(),
            diagnostics: Vec::new(),
            unexpanded: Vec::new(),
            spent: 0,
            is_exhausted: false,
        }
    }

    pub(super) fn run(mut self, search: &str) -> Expansion {
        let mut source = Sourced::default();
        source.push(search, Base::Search(0));
        let mut stack = vec![Task {
            source,
            position: 0,
            frame: None,
        }];
        let mut quoted = Vec::new();
        while let Some(task) = stack.last_mut() {
            match next_call(&task.source.text, task.position, &mut quoted) {
                Event::Call(call) => {
                    self.emit(&task.source, task.position..call.range.start);
                    task.position = call.range.end;
                    self.report_quoted(&task.source, task.frame, &mut quoted);
                    if let Resolution::Body(body) = self.resolve(&task.source, task.frame, &call) {
                        stack.push(body);
                    }
                }
                Event::End => {
                    self.emit(&task.source, task.position..task.source.text.len());
                    self.report_quoted(&task.source, task.frame, &mut quoted);
                    stack.pop();
                }
            }
        }
        Expansion {
            text: self.text,
            diagnostics: self.diagnostics,
            unexpanded: self.unexpanded,
            pieces: self.pieces,
            frames: self.frames,
        }
    }

    /// Copies `range` of `source` to the output, keeping origins.
    fn emit(&mut self, source: &Sourced, range: Range<usize>) {
        for (text, base) in source.slices(range) {
            if !text.is_empty() {
                push_piece(&mut self.pieces, self.text.len(), base);
                self.text.push_str(text);
            }
        }
    }

    /// Writes expander-made text.
    fn emit_synthetic(&mut self, text: &str, frame: u32) {
        push_piece(&mut self.pieces, self.text.len(), Base::Synthetic { frame });
        self.text.push_str(text);
    }

    /// The outermost call site and the chain for a call found in a task.
    fn context(&self, source: &Sourced, frame: Option<u32>, call: &Range<usize>) -> Frame {
        match frame.and_then(|index| self.frames.get(index as usize)) {
            Some(frame) => frame.clone(),
            None => Frame {
                call_site: source
                    .slices(call.clone())
                    .next()
                    .and_then(|(_, base)| match base {
                        Base::Search(offset) => Some(offset..offset + call.len()),
                        _ => None,
                    })
                    .unwrap_or_else(|| call.clone()),
                chain: Vec::new(),
            },
        }
    }

    fn report_quoted(
        &mut self,
        source: &Sourced,
        frame: Option<u32>,
        quoted: &mut Vec<CallSyntax>,
    ) {
        for call in quoted.drain(..) {
            let name = source.text.get(call.name.clone()).unwrap_or_default();
            let message = format!("macro call `{name}` inside a quoted string is not expanded");
            self.report(Code::E005, source, frame, &call.range, message);
        }
    }

    fn report(
        &mut self,
        code: Code,
        source: &Sourced,
        frame: Option<u32>,
        call: &Range<usize>,
        message: String,
    ) {
        let context = self.context(source, frame, call);
        let site = source.macro_site(call.clone());
        let mut diagnostic = SplDiagnostic::new(
            code,
            TextRange::new(context.call_site.start, context.call_site.end),
            message,
        );
        if !context.chain.is_empty() || site.is_some() {
            diagnostic.expansion = Some(ExpansionTrace {
                chain: context.chain,
                site,
            });
        }
        // One report per root cause: a broken macro called twice from one outer call is one problem.
        if !self.diagnostics.contains(&diagnostic) {
            self.diagnostics.push(diagnostic);
        }
    }

    /// Writes the call itself, unexpanded.
    fn emit_verbatim(&mut self, source: &Sourced, call: &CallSyntax, reason: UnexpandedReason) {
        let start = self.text.len();
        self.emit(source, call.range.clone());
        self.unexpanded.push(UnexpandedCall {
            name: source
                .text
                .get(call.name.clone())
                .unwrap_or_default()
                .to_owned(),
            range: start..self.text.len(),
            reason,
        });
    }

    /// Charges `bytes` to the size budget; reports `E003` once when it runs out.
    fn charge(
        &mut self,
        bytes: usize,
        source: &Sourced,
        frame: Option<u32>,
        call: &Range<usize>,
    ) -> bool {
        let total = self.spent.saturating_add(bytes).saturating_add(CALL_COST);
        if total > self.config.max_size {
            self.is_exhausted = true;
            let message = format!(
                "macro expansion exceeds the size limit of {} bytes",
                self.config.max_size
            );
            self.report(Code::E003, source, frame, call, message);
            return false;
        }
        self.spent = total;
        true
    }

    fn resolve(&mut self, source: &Sourced, frame: Option<u32>, call: &CallSyntax) -> Resolution {
        if self.is_exhausted {
            self.emit_verbatim(source, call, UnexpandedReason::Error);
            return Resolution::Written;
        }
        let name = source.text.get(call.name.clone()).unwrap_or_default();
        let arity = call.arity();
        if let Some(id) = self.macros.lookup(name, arity) {
            return self.expand_macro(source, frame, call, id);
        }
        if name == DROP_DM_OBJECT_NAME && arity == 1 {
            return self.expand_drop_dm_object_name(source, frame, call);
        }
        let is_filter = self.config.filter_macro.as_deref() == Some(name);
        if is_filter && arity == 0 {
            if self.charge(FILTER_STUB.len(), source, frame, &call.range) {
                let new_frame = self.push_frame(source, frame, &call.range, None);
                self.emit_synthetic(FILTER_STUB, new_frame);
            } else {
                self.emit_verbatim(source, call, UnexpandedReason::Error);
            }
            return Resolution::Written;
        }
        let mut arities = self.macros.arities(name);
        if is_filter {
            arities.push(0);
            arities.sort_unstable();
            arities.dedup();
        }
        let (code, message) = if !arities.is_empty() {
            (Code::E001, arity_message(name, &arities, arity))
        } else if self.config.is_ignored(name) {
            self.emit_verbatim(source, call, UnexpandedReason::IgnoreList);
            return Resolution::Written;
        } else {
            (Code::E004, format!("macro `{name}` is not defined"))
        };
        self.report(code, source, frame, &call.range, message);
        self.emit_verbatim(source, call, UnexpandedReason::Error);
        Resolution::Written
    }

    fn push_frame(
        &mut self,
        source: &Sourced,
        frame: Option<u32>,
        call: &Range<usize>,
        id: Option<MacroId>,
    ) -> u32 {
        let mut context = self.context(source, frame, call);
        context.chain.extend(id);
        let index = u32::try_from(self.frames.len()).unwrap_or(u32::MAX);
        self.frames.push(context);
        index
    }

    fn expand_macro(
        &mut self,
        source: &Sourced,
        frame: Option<u32>,
        call: &CallSyntax,
        id: MacroId,
    ) -> Resolution {
        let Some(def) = self.macros.get(id) else {
            self.emit_verbatim(source, call, UnexpandedReason::Error);
            return Resolution::Written;
        };
        let chain = frame
            .and_then(|index| self.frames.get(index as usize))
            .map(|frame| frame.chain.as_slice())
            .unwrap_or_default();
        let name = &def.name;
        let failure = if let Some(at) = chain.iter().position(|&other| other == id) {
            let mut cycle: Vec<String> = chain
                .get(at..)
                .unwrap_or_default()
                .iter()
                .filter_map(|&other| self.macros.get(other))
                .map(|other| format!("`{}`", other.name))
                .collect();
            cycle.push(format!("`{name}`"));
            Some((
                Code::E002,
                format!("macro `{name}` expands to itself: {}", cycle.join(" → ")),
            ))
        } else if chain.len() >= self.config.max_depth {
            Some((
                Code::E003,
                format!(
                    "macro `{name}` nests deeper than the limit of {} levels",
                    self.config.max_depth
                ),
            ))
        } else {
            None
        };
        if let Some((code, message)) = failure {
            self.report(code, source, frame, &call.range, message);
            self.emit_verbatim(source, call, UnexpandedReason::Error);
            return Resolution::Written;
        }
        let arguments = call.arguments.clone().unwrap_or_default();
        let placements = placeholders(&def.definition, &def.arguments);
        let body_len = body_length(&def.definition, &placements, &arguments);
        if !self.charge(body_len, source, frame, &call.range) {
            self.emit_verbatim(source, call, UnexpandedReason::Error);
            return Resolution::Written;
        }
        let new_frame = self.push_frame(source, frame, &call.range, Some(id));
        let mut body = Sourced::default();
        let mut copied = 0;
        for (range, argument) in placements {
            let before = def.definition.get(copied..range.start).unwrap_or_default();
            body.push(
                before,
                Base::Macro {
                    id,
                    offset: copied,
                    frame: new_frame,
                },
            );
            if let Some(argument) = arguments.get(argument) {
                body.push_from(source, argument.clone());
            }
            copied = range.end;
        }
        body.push(
            def.definition.get(copied..).unwrap_or_default(),
            Base::Macro {
                id,
                offset: copied,
                frame: new_frame,
            },
        );
        Resolution::Body(Task {
            source: body,
            position: 0,
            frame: Some(new_frame),
        })
    }

    /// `drop_dm_object_name(X)` → `rename X.* AS *`, quotes around `X` stripped; `X` keeps the
    /// origin of the argument.
    fn expand_drop_dm_object_name(
        &mut self,
        source: &Sourced,
        frame: Option<u32>,
        call: &CallSyntax,
    ) -> Resolution {
        let mut argument = call
            .arguments
            .as_ref()
            .and_then(|arguments| arguments.first())
            .cloned()
            .unwrap_or_default();
        let bytes = source.text.as_bytes();
        if argument.len() >= 2
            && bytes.get(argument.start) == Some(&b'"')
            && bytes.get(argument.end - 1) == Some(&b'"')
        {
            argument = argument.start + 1..argument.end - 1;
        }
        const PREFIX: &str = "rename ";
        const SUFFIX: &str = ".* AS *";
        if !self.charge(
            PREFIX.len() + argument.len() + SUFFIX.len(),
            source,
            frame,
            &call.range,
        ) {
            self.emit_verbatim(source, call, UnexpandedReason::Error);
            return Resolution::Written;
        }
        let new_frame = self.push_frame(source, frame, &call.range, None);
        self.emit_synthetic(PREFIX, new_frame);
        self.emit(source, argument);
        self.emit_synthetic(SUFFIX, new_frame);
        Resolution::Written
    }
}

fn arity_message(name: &str, arities: &[usize], arity: usize) -> String {
    let expected: Vec<String> = arities.iter().map(usize::to_string).collect();
    let plural = if arities == [1] { "" } else { "s" };
    format!(
        "macro `{name}` takes {} argument{plural}, not {arity}",
        expected.join(" or ")
    )
}

/// The `$name$` placeholders of a definition: their ranges and argument indexes, in order.
/// A `$…$` pair that names no argument is literal text (it may be a `map` token).
fn placeholders(definition: &str, arguments: &[String]) -> Vec<(Range<usize>, usize)> {
    let mut found = Vec::new();
    if arguments.is_empty() {
        return found;
    }
    let mut at = 0;
    while let Some(open) = definition.get(at..).and_then(|rest| rest.find('$')) {
        let open = at + open;
        let Some(close) = definition.get(open + 1..).and_then(|rest| rest.find('$')) else {
            break;
        };
        let close = open + 1 + close;
        let inner = definition.get(open + 1..close).unwrap_or_default();
        match arguments
            .iter()
            .position(|argument| !argument.is_empty() && argument == inner)
        {
            Some(index) => {
                found.push((open..close + 1, index));
                at = close + 1;
            }
            None => at = close,
        }
    }
    found
}

fn body_length(
    definition: &str,
    placements: &[(Range<usize>, usize)],
    arguments: &[Range<usize>],
) -> usize {
    placements
        .iter()
        .fold(definition.len(), |total, (range, argument)| {
            let value = arguments.get(*argument).map_or(0, Range::len);
            total.saturating_sub(range.len()).saturating_add(value)
        })
}
