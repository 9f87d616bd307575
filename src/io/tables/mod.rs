//! Tables written for machines: files whose layout is a format of their own, defined
//! here and converted from core types, so a changed core struct never changes a file.

pub mod partial;
