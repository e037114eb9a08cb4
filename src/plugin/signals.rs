//! The signals a provider process sees. A terminal's Ctrl-C reaches every process of its group, the provider as
//! well as Terraform; a service manager's stop (SIGTERM) ends the process. Windows has only the console's Ctrl-C
//! and Ctrl-Break.

/// What arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// Ctrl-C (SIGINT, or the console's Ctrl-C / Ctrl-Break).
    Interrupt,
    /// SIGTERM.
    Terminate,
}

#[cfg(unix)]
pub struct Signals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl Signals {
    pub fn install() -> std::io::Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Signals {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    pub async fn next(&mut self) -> Signal {
        tokio::select! {
            _ = self.interrupt.recv() => Signal::Interrupt,
            _ = self.terminate.recv() => Signal::Terminate,
        }
    }
}

#[cfg(windows)]
pub struct Signals {
    ctrl_c: tokio::signal::windows::CtrlC,
    ctrl_break: tokio::signal::windows::CtrlBreak,
}

#[cfg(windows)]
impl Signals {
    /// Listening replaces the console's default handler, which would end the process.
    pub fn install() -> std::io::Result<Signals> {
        Ok(Signals {
            ctrl_c: tokio::signal::windows::ctrl_c()?,
            ctrl_break: tokio::signal::windows::ctrl_break()?,
        })
    }

    pub async fn next(&mut self) -> Signal {
        tokio::select! {
            _ = self.ctrl_c.recv() => Signal::Interrupt,
            _ = self.ctrl_break.recv() => Signal::Interrupt,
        }
    }
}
