#include "core/training/syntheticactor.h"

#include "core/training/random.h"

#include <QPainter>
#include <QPen>
#include <QTransform>

#include <algorithm>
#include <cmath>

namespace saccade {

namespace {

double lerp(double a, double b, double t) {
    return a + (b - a) * t;
}

double smoothStep(double t) {
    t = std::clamp(t, 0.0, 1.0);
    return t * t * (3.0 - 2.0 * t);
}

// The orientation mark: a disc this far along the way to the nose vertex, of this radius (unit shape).
constexpr double kMarkDistance = 0.55;
constexpr double kMarkRadius = 0.22;

} // namespace

SyntheticActor SyntheticActor::randomLook(Random& random) {
    SyntheticActor actor;
    // Irregular radii and one vertex pinned at full radius leave the polygon without rotational symmetry.
    const int vertices = random.integer(3, 6);
    const double step = 2.0 * M_PI / vertices;
    const double start = random.uniform(0.0, 2.0 * M_PI);
    const int nose = random.index(vertices);
    for (int i = 0; i < vertices; ++i) {
        const double angle = start + step * (i + random.uniform(-0.25, 0.25));
        const double radius = i == nose ? 1.0 : random.uniform(0.45, 0.85);
        actor.m_shape << QPointF(radius * std::cos(angle), radius * std::sin(angle));
    }
    actor.m_mark = actor.m_shape[nose] * kMarkDistance;
    actor.m_fill = QColor::fromHsvF(random.uniform(), random.uniform(0.55, 1.0), random.uniform(0.65, 1.0));
    actor.m_edge =
        QColor::fromHsvF(actor.m_fill.hsvHueF(), random.uniform(0.3, 0.8), random.uniform(0.05, 0.3));
    actor.m_edgeFraction = random.uniform(0.08, 0.16);
    actor.m_markColour = QColor::fromHsvF(std::fmod(actor.m_fill.hsvHueF() + 0.5, 1.0), 0.15, 1.0);
    return actor;
}

SyntheticActor SyntheticActor::random(Random& random, SyntheticAction action, const QRectF& stage) {
    SyntheticActor actor = randomLook(random);
    actor.m_action = action;
    const double side = std::min(stage.width(), stage.height());
    const double radius = side * random.uniform(0.1, 0.17);
    const double angle = random.uniform(0.0, 360.0);
    // A point whose disc of `margin` stays inside the stage, with room left for the outline pen.
    const double pad = side * 0.03 + 2.0;
    const QRectF inner = stage.adjusted(pad, pad, -pad, -pad);
    const auto within = [&](double low, double high) {
        return low < high ? random.uniform(low, high) : (low + high) / 2.0;
    };
    const auto place = [&](double marginX, double marginY) {
        return QPointF(within(inner.left() + marginX, inner.right() - marginX),
                       within(inner.top() + marginY, inner.bottom() - marginY));
    };
    ActorPose from{QPointF(), radius, angle, 1.0};
    ActorPose to = from;

    switch (action) {
    case SyntheticAction::MoveLeft:
    case SyntheticAction::MoveRight: {
        const double distance = side * random.uniform(0.3, 0.45);
        const QPointF centre = place(radius + distance / 2, radius);
        from.centre = centre + QPointF(distance / 2, 0);
        to.centre = centre - QPointF(distance / 2, 0);
        break;
    }
    case SyntheticAction::MoveUp:
    case SyntheticAction::MoveDown: {
        const double distance = side * random.uniform(0.3, 0.45);
        const QPointF centre = place(radius, radius + distance / 2);
        from.centre = centre + QPointF(0, distance / 2);
        to.centre = centre - QPointF(0, distance / 2);
        break;
    }
    case SyntheticAction::MoveDiagonal: {
        // Up and to the right at 45 degrees, as far as a horizontal or vertical move.
        const double distance = side * random.uniform(0.3, 0.45) / std::sqrt(2.0);
        const QPointF centre = place(radius + distance / 2, radius + distance / 2);
        from.centre = centre + QPointF(-distance / 2, distance / 2);
        to.centre = centre + QPointF(distance / 2, -distance / 2);
        break;
    }
    case SyntheticAction::RotateClockwise:
    case SyntheticAction::RotateCounterClockwise: {
        // A turning actor is drawn larger: at the demo model's 32 px a small polygon's turn moves too
        // few pixels to be seen at all.
        const double turningRadius = side * random.uniform(0.22, 0.28);
        from.radius = turningRadius;
        to.radius = turningRadius;
        from.centre = place(turningRadius, turningRadius);
        to.centre = from.centre;
        // y points down, so a growing angle turns clockwise on screen; under 180 degrees the sense of
        // the turn is unambiguous between any two sampled frames.
        to.angleDegrees = angle + random.uniform(110.0, 160.0);
        break;
    }
    case SyntheticAction::Grow:
    case SyntheticAction::Shrink: {
        const double large = side * random.uniform(0.2, 0.27);
        from.radius = large / random.uniform(1.8, 2.6);
        to.radius = large;
        from.centre = place(large, large);
        to.centre = from.centre;
        break;
    }
    case SyntheticAction::Appear:
    case SyntheticAction::Disappear: {
        from.centre = place(radius, radius);
        to.centre = from.centre;
        actor.m_fadeStart = random.uniform(0.15, 0.5);
        actor.m_fadeEnd = actor.m_fadeStart + random.uniform(0.1, 0.3);
        break;
    }
    }
    actor.m_from = from;
    actor.m_to = to;
    return actor;
}

ActorPose SyntheticActor::pose(double progress) const {
    double t = std::clamp(progress, 0.0, 1.0);
    if (isReversedMember(m_action))
        t = 1.0 - t;
    ActorPose pose;
    pose.centre =
        QPointF(lerp(m_from.centre.x(), m_to.centre.x(), t), lerp(m_from.centre.y(), m_to.centre.y(), t));
    pose.radius = lerp(m_from.radius, m_to.radius, t);
    pose.angleDegrees = lerp(m_from.angleDegrees, m_to.angleDegrees, t);
    pose.opacity = 1.0;
    if (m_action == SyntheticAction::Appear || m_action == SyntheticAction::Disappear)
        pose.opacity = smoothStep((t - m_fadeStart) / (m_fadeEnd - m_fadeStart));
    return pose;
}

QTransform SyntheticActor::placement(const ActorPose& pose) {
    QTransform transform;
    transform.translate(pose.centre.x(), pose.centre.y());
    transform.rotate(pose.angleDegrees);
    transform.scale(pose.radius, pose.radius);
    return transform;
}

QPolygonF SyntheticActor::outline(const ActorPose& pose) const {
    return placement(pose).map(m_shape);
}

QRectF SyntheticActor::box(const ActorPose& pose) const {
    if (pose.opacity <= 0.0 || pose.radius <= 0.0)
        return QRectF();
    // Round joins reach half the pen width past the outline; antialiasing can touch pixels up to
    // two pixels further out.
    const double margin = std::max(1.0, m_edgeFraction * pose.radius) / 2.0 + 2.0;
    return outline(pose).boundingRect().adjusted(-margin, -margin, margin, margin);
}

QPointF SyntheticActor::heading(const ActorPose& pose) const {
    if (pose.opacity <= 0.0 || pose.radius <= 0.0)
        return QPointF();
    const QPointF towardsMark = placement(pose).map(m_mark) - pose.centre;
    const double length = std::hypot(towardsMark.x(), towardsMark.y());
    return length > 0.0 ? towardsMark / length : QPointF();
}

void SyntheticActor::paint(QPainter& painter, const ActorPose& pose) const {
    if (pose.opacity <= 0.0 || pose.radius <= 0.0)
        return;
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setOpacity(pose.opacity);
    QPen pen(m_edge, std::max(1.0, m_edgeFraction * pose.radius));
    pen.setJoinStyle(Qt::RoundJoin);
    painter.setPen(pen);
    painter.setBrush(m_fill);
    painter.drawPolygon(outline(pose));
    painter.setPen(Qt::NoPen);
    painter.setBrush(m_markColour);
    const double markRadius = std::max(1.0, kMarkRadius * pose.radius);
    painter.drawEllipse(placement(pose).map(m_mark), markRadius, markRadius);
    painter.restore();
}

} // namespace saccade
