//! Just enough of ELF (64-bit, little-endian: x86-64 and arm64 Linux) to check how an executable was linked: its
//! type, program headers and dynamic section. `readelf` would do, but it is not on every machine.

// Each test crate that includes this module uses a different part of it.
#![allow(dead_code)]

use std::path::Path;

pub const ET_EXEC: u16 = 2;
pub const ET_DYN: u16 = 3;

const PT_DYNAMIC: u32 = 2;
const PT_INTERP: u32 = 3;
const PT_GNU_STACK: u32 = 0x6474_e551;
const PT_GNU_RELRO: u32 = 0x6474_e552;
const PF_X: u32 = 1;

const DT_NULL: i64 = 0;
const DT_NEEDED: i64 = 1;
const DT_BIND_NOW: i64 = 24;
const DT_FLAGS: i64 = 30;
const DT_FLAGS_1: i64 = 0x6fff_fffb;
const DF_BIND_NOW: u64 = 0x8;
const DF_1_NOW: u64 = 0x1;

/// What the checks need to know about one executable.
#[derive(Debug)]
pub struct Executable {
    /// `ET_EXEC` (fixed address) or `ET_DYN` (position independent).
    pub file_type: u16,
    /// A `PT_INTERP` header: the kernel starts the dynamic loader named there first.
    pub interpreter: Option<String>,
    /// How many `DT_NEEDED` entries (shared libraries required at start) there are.
    pub needed: usize,
    pub has_dynamic_section: bool,
    pub relro: bool,
    /// `DF_BIND_NOW` or `DF_1_NOW`: every symbol bound before `main`, so RELRO covers the GOT too.
    pub bind_now: bool,
    /// `PT_GNU_STACK` present and without the execute flag.
    pub non_executable_stack: bool,
}

impl Executable {
    /// Nothing to load at start: no interpreter, no needed libraries.
    pub fn is_static(&self) -> bool {
        self.interpreter.is_none() && self.needed == 0
    }

    pub fn is_position_independent(&self) -> bool {
        self.file_type == ET_DYN
    }
}

fn u16_at(bytes: &[u8], offset: usize) -> Result<u16, String> {
    bytes
        .get(offset..offset + 2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
        .ok_or_else(|| format!("truncated at {offset}"))
}

fn u32_at(bytes: &[u8], offset: usize) -> Result<u32, String> {
    let slice = bytes
        .get(offset..offset + 4)
        .ok_or_else(|| format!("truncated at {offset}"))?;
    Ok(u32::from_le_bytes(slice.try_into().unwrap()))
}

fn u64_at(bytes: &[u8], offset: usize) -> Result<u64, String> {
    let slice = bytes
        .get(offset..offset + 8)
        .ok_or_else(|| format!("truncated at {offset}"))?;
    Ok(u64::from_le_bytes(slice.try_into().unwrap()))
}

/// Reads `path` as a 64-bit little-endian ELF executable.
pub fn read(path: &Path) -> Result<Executable, String> {
    let bytes = std::fs::read(path).map_err(|error| format!("read {}: {error}", path.display()))?;
    if bytes.get(..4) != Some(b"\x7fELF") || bytes.get(4) != Some(&2) || bytes.get(5) != Some(&1) {
        return Err(format!("{} is not a 64-bit little-endian ELF file", path.display()));
    }
    let file_type = u16_at(&bytes, 16)?;
    let header_offset = u64_at(&bytes, 32)? as usize;
    let header_size = u16_at(&bytes, 54)? as usize;
    let header_count = u16_at(&bytes, 56)? as usize;

    let mut executable = Executable {
        file_type,
        interpreter: None,
        needed: 0,
        has_dynamic_section: false,
        relro: false,
        bind_now: false,
        non_executable_stack: false,
    };
    for index in 0..header_count {
        let header = header_offset + index * header_size;
        let kind = u32_at(&bytes, header)?;
        let flags = u32_at(&bytes, header + 4)?;
        let offset = u64_at(&bytes, header + 8)? as usize;
        let size = u64_at(&bytes, header + 32)? as usize;
        match kind {
            PT_INTERP => {
                let text = bytes.get(offset..offset + size).ok_or("truncated PT_INTERP")?;
                executable.interpreter = Some(String::from_utf8_lossy(text).trim_end_matches('\0').to_string());
            }
            PT_GNU_RELRO => executable.relro = true,
            PT_GNU_STACK => executable.non_executable_stack = flags & PF_X == 0,
            PT_DYNAMIC => {
                executable.has_dynamic_section = true;
                for entry in (offset..offset + size).step_by(16) {
                    let tag = u64_at(&bytes, entry)? as i64;
                    let value = u64_at(&bytes, entry + 8)?;
                    match tag {
                        DT_NULL => break,
                        DT_NEEDED => executable.needed += 1,
                        DT_BIND_NOW => executable.bind_now = true,
                        DT_FLAGS if value & DF_BIND_NOW != 0 => executable.bind_now = true,
                        DT_FLAGS_1 if value & DF_1_NOW != 0 => executable.bind_now = true,
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    Ok(executable)
}
