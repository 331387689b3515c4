// Filled by this host's issue; the workspace is complete without it.
export {};
