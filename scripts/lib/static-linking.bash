# Sourced by scripts/test and scripts/release: the static C runtime for a Linux glibc target.
#
# `use_static_c_runtime TRIPLE` sets the target's rustflags to `-C target-feature=+crt-static` (keeping any the
# caller set for that target) and sets the array `cargo_target_args` to `--target TRIPLE`. The target is named
# even when it is this machine's own: the rustflags then reach only what is built for it, never the build scripts
# and proc macros, which cannot be linked statically. For other targets the array stays empty and nothing changes.
#
# The linker needs glibc's static libraries: on Debian and Ubuntu they come with libc6-dev, on Fedora and RHEL with
# glibc-static.
cargo_target_args=()
use_static_c_runtime() {
    local triple="$1"
    [[ "$triple" == *-linux-gnu ]] || return 0
    if [[ -n "${RUSTFLAGS:-}" ]]; then
        echo "RUSTFLAGS is set and would replace the static linking flag for $triple; unset it" >&2
        return 1
    fi
    local variable
    variable="CARGO_TARGET_$(echo "$triple" | tr 'a-z-' 'A-Z_')_RUSTFLAGS"
    export "$variable=${!variable:-} -C target-feature=+crt-static"
    cargo_target_args=(--target "$triple")
}
