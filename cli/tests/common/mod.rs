//! Running the built `vtl` binary in `tests/fixtures` and capturing what it printed.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What one run of the binary produced.
#[derive(Debug, PartialEq, Eq)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The fixtures folder (the working directory of every run, so messages name files relatively).
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Runs `vtl ARGS` in the fixtures folder with `stdin` as standard input.
pub fn vtl_in(args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vtl"))
        .args(args)
        .current_dir(fixtures())
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the vtl binary starts");
    let mut input = child.stdin.take().unwrap();
    if let Err(e) = input.write_all(stdin.as_bytes()) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    drop(input);
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().expect("exited normally"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Runs `vtl ARGS` in the fixtures folder with empty standard input.
pub fn vtl(args: &[&str]) -> Run {
    vtl_in(args, "")
}

/// A run's `(code, stdout, stderr)`, for one `assert_eq!`.
pub fn parts(run: &Run) -> (i32, &str, &str) {
    (run.code, run.stdout.as_str(), run.stderr.as_str())
}

/// Runs `vtl ARGS` in `dir`: `(code, stdout, stderr)`.
pub fn vtl_at(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vtl"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// A temporary folder of this test process, removed on drop.
pub struct Scratch(pub PathBuf);

impl Scratch {
    /// An empty folder named after `tag`.
    pub fn empty(tag: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("vtl-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    /// A copy of `tests/<fixtures>` named after `tag`.
    pub fn copy_of(fixtures: &str, tag: &str) -> Scratch {
        let s = Scratch::empty(tag);
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests")
                .join(fixtures),
            &s.0,
        );
        s
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
