#include "core/media/videoframe.h"

#include "core/media/ffmpeg.h"

namespace saccade {

QSize VideoFrame::planeSize() const {
    return planes ? QSize(planes->width, planes->height) : QSize();
}

} // namespace saccade
