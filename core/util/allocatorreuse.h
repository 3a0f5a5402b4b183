#pragma once

namespace saccade {

/// Lets freed blocks of up to 32 MiB stay in the process for reuse instead of going back to the
/// kernel. A forward pass allocates and frees activations of 1 to 20 MiB per operation; by default
/// glibc maps many of them fresh, and the kernel then zeroes every page again on first touch
/// (about 125,000 page faults per base-model view). Idempotent; no effect without glibc.
void keepFreedBlocksForReuse();

/// Hands the free heap that keepFreedBlocksForReuse() keeps back to the kernel. For when a burst of
/// model work is over (an analysis has finished): an idle app should not sit on a working set it no
/// longer uses. No effect without glibc.
void returnFreedMemory();

} // namespace saccade
