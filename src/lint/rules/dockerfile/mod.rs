//! The Dockerfile rules, one per file, registered in [`crate::lint::registry`].

pub mod apt_without_cleanup;
pub mod deprecated_base_image;
pub mod java_opts_not_applied;
pub mod nonexistent_apt_package;
pub mod nonroot_unwritable_dir;
pub mod root_user;
pub mod shell_form_command;
pub mod syntax_error;
pub mod sysctl_in_image;

pub use apt_without_cleanup::AptWithoutCleanup;
pub use deprecated_base_image::DeprecatedBaseImage;
pub use java_opts_not_applied::JavaOptsNotApplied;
pub use nonexistent_apt_package::NonexistentAptPackage;
pub use nonroot_unwritable_dir::NonrootUnwritableDir;
pub use root_user::RootUser;
pub use shell_form_command::ShellFormCommand;
pub use syntax_error::SyntaxError;
pub use sysctl_in_image::SysctlInImage;
