# Turns one help text as QCommandLineParser prints it into man page markup: its options (and, for a
# command, its usage, description and arguments) as tagged paragraphs.
#   awk -v command="bench decode" -v program=saccade-cli -f helptoroff.awk HELP
# With `command` empty only the options are written (for a program without commands); the help options
# are left out of commands, whose common --help the page names once.

# Escapes text for troff: backslashes, the hyphens of option-like words (minus signs, so that copied
# options work), and a control character at the start of the line.
function escape(text, out, i, c, inOption) {
    out = ""
    inOption = 0
    for (i = 1; i <= length(text); i++) {
        c = substr(text, i, 1)
        if (c == " ")
            inOption = 0
        else if (c == "-" && (i == 1 || substr(text, i - 1, 1) ~ /[ (\[|,=\/]/))
            inOption = 1
        if (c == "\\")
            out = out "\\e"
        else if (c == "-" && inOption)
            out = out "\\-"
        else
            out = out c
    }
    if (out ~ /^[.']/)
        out = "\\&" out
    return out
}

# Option names bold, value placeholders (<N>) and argument names italic.
function termMarkup(term, isArgument, count, words, i, word, comma, out) {
    count = split(term, words, " ")
    out = ""
    for (i = 1; i <= count; i++) {
        word = words[i]
        comma = ""
        if (word ~ /,$/) {
            comma = ","
            word = substr(word, 1, length(word) - 1)
        }
        if (word ~ /^<.*>$/)
            word = "\\fI" escape(substr(word, 2, length(word) - 2)) "\\fR"
        else if (word ~ /^-/)
            word = "\\fB" escape(word) "\\fR"
        else if (isArgument)
            word = "\\fI" escape(word) "\\fR"
        else
            word = escape(word)
        out = out (i > 1 ? " " : "") word comma
    }
    return out
}

function isHelpOption(term) {
    return term == "-h, --help" || term == "--help-all" || term == "-?, -h, --help"
}

function flushItem() {
    if (itemTerm == "")
        return
    if (!(command != "" && isHelpOption(itemTerm))) {
        print ".TP"
        print termMarkup(itemTerm, section == "arguments")
        if (itemText != "")
            print escape(itemText)
    }
    itemTerm = ""
    itemText = ""
}

function flushDescription() {
    if (command == "" || descriptionDone)
        return
    descriptionDone = 1
    print ".SS \"" command "\""
    print ".B \"" program " " command "\""
    if (usageRest != "")
        print escape(usageRest)
    if (description != "") {
        print ".PP"
        print description
    }
}

NR == 1 && /^Usage: / {
    usageRest = substr($0, 8)
    sub(/^[^ ]+/, "", usageRest) # the program as Qt names it
    if (command != "" && index(usageRest, " " command) == 1)
        usageRest = substr(usageRest, length(command) + 2)
    sub(/^ +/, "", usageRest)
    next
}

/^Options:$/ || /^Arguments:$/ {
    flushItem()
    flushDescription()
    section = ($0 == "Options:") ? "options" : "arguments"
    if (command == "" && section == "arguments")
        section = "skip"
    next
}

section == "" {
    if ($0 == "") {
        if (description != "")
            pendingParagraph = 1
        next
    }
    if (pendingParagraph) {
        description = description "\n.PP"
        pendingParagraph = 0
    }
    description = (description == "" ? "" : description "\n") escape($0)
    next
}

section == "skip" {
    next
}

/^  [^ ]/ {
    flushItem()
    line = substr($0, 3)
    if (match(line, /  +/)) {
        itemTerm = substr(line, 1, RSTART - 1)
        itemText = substr(line, RSTART + RLENGTH)
    } else {
        itemTerm = line
        itemText = ""
    }
    next
}

/^   +[^ ]/ {
    text = $0
    sub(/^ +/, "", text)
    itemText = (itemText == "" ? text : itemText " " text)
    next
}

END {
    flushItem()
    flushDescription()
}
