#pragma once

#include "core/training/syntheticaction.h"

#include <QColor>
#include <QPointF>
#include <QPolygonF>
#include <QTransform>
#include <QRectF>

class QPainter;

namespace saccade {

class Random;

/// Where a synthetic object is and how it looks at one instant, in pixels.
struct ActorPose {
    QPointF centre;
    /// Distance from the centre to the shape's farthest vertex.
    double radius = 0.0;
    double angleDegrees = 0.0;
    /// 0 = invisible, 1 = opaque.
    double opacity = 1.0;
};

/// A random irregular polygon (so every rotation is visible) with a fill and an outline colour, and
/// the motion of one synthetic action. Used for the actor of a clip and, with a fixed pose, for the
/// distractors. Plain value, any thread.
class SyntheticActor {
public:
    /// A random look (shape and colours) with no motion, for distractors.
    static SyntheticActor randomLook(Random& random);
    /// A random look and a random instance of `action` (distance, angle, scale, timing) that stays
    /// inside `stage`. Both members of a time-reversal pair draw the same numbers from the same stream,
    /// so `action` and `timeReversed(action)` with equal streams are exact reverses of each other.
    static SyntheticActor random(Random& random, SyntheticAction action, const QRectF& stage);

    SyntheticAction action() const { return m_action; }
    /// Pose at `progress` in [0, 1] through the action (clamped).
    ActorPose pose(double progress) const;

    /// The outline polygon at `pose`, in pixels.
    QPolygonF outline(const ActorPose& pose) const;
    /// Every pixel the object can touch at `pose` (outline pen and antialiasing included); empty
    /// when the object is invisible.
    QRectF box(const ActorPose& pose) const;
    /// The unit vector from the centre towards the nose (where the orientation mark sits), in
    /// pixel axes (y down); null while the actor is invisible.
    QPointF heading(const ActorPose& pose) const;
    void paint(QPainter& painter, const ActorPose& pose) const;

private:
    /// Unit shape coordinates to pixels at `pose`.
    static QTransform placement(const ActorPose& pose);

    QPolygonF m_shape; // unit radius, centred on the origin
    QColor m_fill;
    QColor m_edge;
    // A light spot towards the nose vertex: orientation a 32 px frame still shows.
    QPointF m_mark;
    QColor m_markColour;
    double m_edgeFraction = 0.1; // outline width relative to the radius
    SyntheticAction m_action = SyntheticAction::MoveLeft;
    // The motion of the pair's forward member; the reversed member plays it backwards.
    ActorPose m_from;
    ActorPose m_to;
    double m_fadeStart = 0.0;
    double m_fadeEnd = 0.0;
};

} // namespace saccade
