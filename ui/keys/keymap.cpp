#include "ui/keys/keymap.h"

#include <QCoreApplication>

namespace saccade {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("saccade::KeyMap", text);
}

KeyMap::Entry makeEntry(Command command, const char* id, const char* text, const char* group,
                        QList<QKeySequence> defaults) {
    return {command, QString::fromLatin1(id), tr(text), tr(group), std::move(defaults)};
}

std::vector<KeyMap::Entry> buildEntries() {
    const char* playback = "Playback";
    const char* segments = "Segments";
    const char* review = "Review";
    const char* view = "View";
    const char* file = "File";
    std::vector<KeyMap::Entry> list = {
        makeEntry(Command::PlayPause, "play-pause", "Play / pause", playback, {Qt::Key_Space, Qt::Key_K}),
        makeEntry(Command::ShuttleBackward, "shuttle-backward", "Shuttle backward (repeat to speed up)",
                  playback, {Qt::Key_J}),
        makeEntry(Command::ShuttleForward, "shuttle-forward", "Shuttle forward (repeat to speed up)",
                  playback, {Qt::Key_L}),
        makeEntry(Command::PreviousFrame, "previous-frame", "Previous frame", playback,
                  {Qt::Key_Comma, Qt::Key_Left}),
        makeEntry(Command::NextFrame, "next-frame", "Next frame", playback, {Qt::Key_Period, Qt::Key_Right}),
        makeEntry(Command::BackOneSecond, "back-1s", "Back 1 second", playback,
                  {QKeySequence(Qt::SHIFT | Qt::Key_Left)}),
        makeEntry(Command::ForwardOneSecond, "forward-1s", "Forward 1 second", playback,
                  {QKeySequence(Qt::SHIFT | Qt::Key_Right)}),
        makeEntry(Command::GoToStart, "go-to-start", "Go to start", playback, {Qt::Key_Home}),
        makeEntry(Command::GoToEnd, "go-to-end", "Go to end", playback, {Qt::Key_End}),
        makeEntry(Command::SpeedDown, "speed-down", "Slower", playback, {Qt::Key_BracketLeft}),
        makeEntry(Command::SpeedUp, "speed-up", "Faster", playback, {Qt::Key_BracketRight}),
        makeEntry(Command::SpeedReset, "speed-reset", "Normal speed", playback, {Qt::Key_Backspace}),
        makeEntry(Command::MarkIn, "mark-in", "Mark in", segments, {Qt::Key_I}),
        makeEntry(Command::MarkOut, "mark-out", "Mark out", segments, {Qt::Key_O}),
        makeEntry(Command::CreateSegment, "create-segment", "Create segment from marks", segments,
                  {Qt::Key_Return, Qt::Key_Enter}),
    };
    const Qt::Key digitKeys[] = {Qt::Key_1, Qt::Key_2, Qt::Key_3, Qt::Key_4, Qt::Key_5,
                                 Qt::Key_6, Qt::Key_7, Qt::Key_8, Qt::Key_9, Qt::Key_0};
    for (int index = 0; index < 10; ++index) {
        const auto command = static_cast<Command>(static_cast<int>(Command::Label1) + index);
        list.push_back({command,
                        QStringLiteral("label-%1").arg(index + 1),
                        tr("Apply label %1").arg(index + 1),
                        tr(segments),
                        {digitKeys[index]}});
    }
    const std::vector<KeyMap::Entry> rest = {
        makeEntry(Command::PreviousSegment, "previous-segment", "Previous segment", segments,
                  {QKeySequence(Qt::ALT | Qt::Key_Left)}),
        makeEntry(Command::NextSegment, "next-segment", "Next segment", segments,
                  {QKeySequence(Qt::ALT | Qt::Key_Right)}),
        makeEntry(Command::SplitSegment, "split-segment", "Split segment at playhead", segments, {Qt::Key_S}),
        makeEntry(Command::MergeSegment, "merge-segment", "Merge segment with next", segments, {Qt::Key_M}),
        makeEntry(Command::DeleteSegment, "delete-segment", "Delete segment", segments, {Qt::Key_Delete}),
        makeEntry(Command::LoopSegment, "loop-segment", "Loop segment", segments,
                  {QKeySequence(Qt::CTRL | Qt::Key_L)}),
        makeEntry(Command::AcceptProposal, "accept-proposal", "Accept proposal", review, {Qt::Key_A}),
        makeEntry(Command::RejectProposal, "reject-proposal", "Reject proposal", review, {Qt::Key_X}),
        makeEntry(Command::NextReview, "next-review", "Next item to review", review, {Qt::Key_N}),
        makeEntry(Command::PreviousReview, "previous-review", "Previous item to review", review,
                  {QKeySequence(Qt::SHIFT | Qt::Key_N)}),
        makeEntry(Command::Undo, "undo", "Undo", segments, {QKeySequence(Qt::CTRL | Qt::Key_Z)}),
        makeEntry(Command::Redo, "redo", "Redo", segments, {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)}),
        makeEntry(Command::ToggleOverlay, "toggle-overlay", "Toggle attention overlay", view, {Qt::Key_V}),
        makeEntry(Command::PreviousLayer, "previous-layer", "Previous layer", view, {Qt::Key_PageUp}),
        makeEntry(Command::NextLayer, "next-layer", "Next layer", view, {Qt::Key_PageDown}),
        makeEntry(Command::PreviousHead, "previous-head", "Previous head", view,
                  {QKeySequence(Qt::CTRL | Qt::Key_PageUp)}),
        makeEntry(Command::NextHead, "next-head", "Next head", view,
                  {QKeySequence(Qt::CTRL | Qt::Key_PageDown)}),
        makeEntry(Command::ZoomIn, "zoom-in", "Zoom in", view, {Qt::Key_Plus, Qt::Key_Equal}),
        makeEntry(Command::ZoomOut, "zoom-out", "Zoom out", view, {Qt::Key_Minus}),
        makeEntry(Command::ZoomFit, "zoom-fit", "Fit to window", view, {Qt::Key_F}),
        makeEntry(Command::OpenVideo, "open-video", "Open video...", file,
                  {QKeySequence(QKeySequence::Open)}),
        makeEntry(Command::Preferences, "preferences", "Keyboard shortcuts...", file,
                  {QKeySequence(Qt::CTRL | Qt::Key_Comma)}),
    };
    list.insert(list.end(), rest.begin(), rest.end());
    return list;
}

} // namespace

KeyMap::KeyMap() {
    resetToDefaults();
}

const std::vector<KeyMap::Entry>& KeyMap::entries() {
    static const std::vector<Entry> list = buildEntries();
    return list;
}

const KeyMap::Entry& KeyMap::entry(Command command) {
    for (const Entry& item : entries()) {
        if (item.command == command)
            return item;
    }
    return entries().front();
}

QString KeyMap::id(Command command) {
    return entry(command).id;
}

bool KeyMap::commandForId(const QString& id, Command* command) {
    for (const Entry& item : entries()) {
        if (item.id == id) {
            *command = item.command;
            return true;
        }
    }
    return false;
}

QList<QKeySequence> KeyMap::sequences(Command command) const {
    return m_sequences.value(command);
}

void KeyMap::setSequences(Command command, const QList<QKeySequence>& sequences) {
    QList<QKeySequence> cleaned;
    for (const QKeySequence& sequence : sequences) {
        if (!sequence.isEmpty() && !cleaned.contains(sequence))
            cleaned.append(sequence);
    }
    m_sequences.insert(command, cleaned);
}

void KeyMap::resetToDefaults() {
    m_sequences.clear();
    for (const Entry& item : entries())
        m_sequences.insert(item.command, item.defaults);
}

bool KeyMap::isDefault(Command command) const {
    return sequences(command) == entry(command).defaults;
}

QList<Command> KeyMap::conflicts(const QKeySequence& sequence, Command except) const {
    QList<Command> result;
    if (sequence.isEmpty())
        return result;
    for (const Entry& item : entries()) {
        if (item.command != except && m_sequences.value(item.command).contains(sequence))
            result.append(item.command);
    }
    return result;
}

bool KeyMap::commandFor(const QKeySequence& sequence, Command* command) const {
    for (const Entry& item : entries()) {
        if (m_sequences.value(item.command).contains(sequence)) {
            *command = item.command;
            return true;
        }
    }
    return false;
}

QHash<QString, QList<QKeySequence>> KeyMap::overrides() const {
    QHash<QString, QList<QKeySequence>> result;
    for (const Entry& item : entries()) {
        if (!isDefault(item.command))
            result.insert(item.id, sequences(item.command));
    }
    return result;
}

void KeyMap::applyOverrides(const QHash<QString, QList<QKeySequence>>& overrides) {
    resetToDefaults();
    for (auto it = overrides.cbegin(); it != overrides.cend(); ++it) {
        Command command;
        if (commandForId(it.key(), &command))
            setSequences(command, it.value());
    }
}

} // namespace saccade
