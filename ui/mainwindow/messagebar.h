#pragma once

#include <QFrame>

class QLabel;
class QToolButton;

namespace saccade {

/// An inline, dismissable message strip (like KMessageWidget): an icon, what happened and what to
/// do, and an optional action button. Hidden until show*() is called.
class MessageBar : public QFrame {
    Q_OBJECT
public:
    enum class Kind {
        Information = 1,
        Warning,
        Error,
    };

    explicit MessageBar(QWidget* parent = nullptr);

    /// Shows `text`; `actionText` non-empty adds a button that emits actionTriggered().
    void showMessage(Kind kind, const QString& text, const QString& actionText = QString());
    void dismiss();
    Kind kind() const { return m_kind; }
    QString text() const;

Q_SIGNALS:
    void actionTriggered();
    void dismissed();

private:
    Kind m_kind = Kind::Information;
    QLabel* m_icon = nullptr;
    QLabel* m_text = nullptr;
    QToolButton* m_action = nullptr;
    QToolButton* m_close = nullptr;
};

} // namespace saccade
