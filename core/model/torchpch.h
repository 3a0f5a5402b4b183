#pragma once

// Precompiled for saccade_model: parsing LibTorch's headers once instead of per file.
#include <torch/torch.h>
