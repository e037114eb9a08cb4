//! Host name lookups in the statically linked Linux build.
//!
//! The AWS SDK resolves endpoint host names with `getaddrinfo`. glibc answers it through the sources
//! `/etc/nsswitch.conf` lists for `hosts`. Since glibc 2.34 the `files` (`/etc/hosts`) and `dns`
//! (`/etc/resolv.conf`) sources are built into libc itself, also into the static library; any other source
//! (`myhostname`, `resolve`, `mdns4_minimal`, `sss`, ...) is a shared module that glibc would `dlopen`. A statically
//! linked program cannot safely load such a module, which is built against the system's own libc, possibly of
//! another version; on a system without glibc it does not exist at all. And where there is no nsswitch.conf (a
//! minimal container), glibc's default asks DNS first and stops there when DNS is unreachable, so `/etc/hosts`
//! would never be read.
//!
//! The static build therefore looks host names up in `/etc/hosts` first, then in DNS, whatever nsswitch.conf
//! says: the behaviour of Go's resolver, which is what Terraform and every Go provider use. The dynamically linked
//! build keeps the system's configuration, modules and all.

/// Restricts host lookups to `files dns`, in the static glibc build only; everywhere else the system's resolver
/// configuration already applies and there is nothing to do.
pub fn use_files_then_dns_in_static_builds() {
    #[cfg(all(target_os = "linux", target_env = "gnu", target_feature = "crt-static"))]
    static_glibc::use_files_then_dns();
}

#[cfg(all(target_os = "linux", target_env = "gnu", target_feature = "crt-static"))]
mod static_glibc {
    use std::ffi::{c_char, c_int};

    unsafe extern "C" {
        /// glibc's override of one nsswitch.conf line (`GLIBC_2.2.5`); it also stops glibc from reloading the
        /// file later.
        fn __nss_configure_lookup(database: *const c_char, service_line: *const c_char) -> c_int;
    }

    pub fn use_files_then_dns() {
        // SAFETY: both arguments are NUL-terminated literals; glibc copies what it keeps. It is called once, from
        // main, before any thread exists.
        let result = unsafe { __nss_configure_lookup(c"hosts".as_ptr(), c"files dns".as_ptr()) };
        if result != 0 {
            tracing::warn!("could not restrict host name lookups to /etc/hosts and DNS");
        }
    }
}
