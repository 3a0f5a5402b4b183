#include "core/training/syntheticaction.h"

#include <algorithm>

namespace saccade {

QString syntheticActionName(SyntheticAction action) {
    switch (action) {
    case SyntheticAction::MoveLeft:
        return QStringLiteral("move_left");
    case SyntheticAction::MoveRight:
        return QStringLiteral("move_right");
    case SyntheticAction::MoveUp:
        return QStringLiteral("move_up");
    case SyntheticAction::MoveDown:
        return QStringLiteral("move_down");
    case SyntheticAction::RotateClockwise:
        return QStringLiteral("rotate_clockwise");
    case SyntheticAction::RotateCounterClockwise:
        return QStringLiteral("rotate_counterclockwise");
    case SyntheticAction::Grow:
        return QStringLiteral("grow");
    case SyntheticAction::Shrink:
        return QStringLiteral("shrink");
    case SyntheticAction::Appear:
        return QStringLiteral("appear");
    case SyntheticAction::Disappear:
        return QStringLiteral("disappear");
    case SyntheticAction::MoveDiagonal:
        return QStringLiteral("move_diagonal");
    }
    return QString();
}

QStringList syntheticActionNames() {
    QStringList names;
    for (int i = 0; i < kSyntheticActionCount; ++i)
        names << syntheticActionName(syntheticActionFromIndex(i));
    return names;
}

QString backgroundClassName() {
    return QStringLiteral("background");
}

QStringList syntheticClassNames(bool withBackground) {
    QStringList names = syntheticActionNames();
    if (withBackground)
        names << backgroundClassName();
    return names;
}

std::optional<SyntheticAction> parseSyntheticAction(const QString& name) {
    if (name == syntheticActionName(kNovelSyntheticAction))
        return kNovelSyntheticAction;
    const int index = syntheticActionNames().indexOf(name);
    if (index < 0)
        return std::nullopt;
    return syntheticActionFromIndex(index);
}

SyntheticAction syntheticActionFromIndex(int index) {
    return static_cast<SyntheticAction>(std::clamp(index, 0, kSyntheticActionCount - 1));
}

int syntheticActionIndex(SyntheticAction action) {
    return static_cast<int>(action);
}

SyntheticAction timeReversed(SyntheticAction action) {
    if (action == kNovelSyntheticAction)
        return action;
    return syntheticActionFromIndex(syntheticActionIndex(action) ^ 1);
}

bool isReversedMember(SyntheticAction action) {
    return action != kNovelSyntheticAction && (syntheticActionIndex(action) & 1) != 0;
}

} // namespace saccade
