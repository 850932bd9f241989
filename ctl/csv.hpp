// CSV as RFC 4180 writes it: the student information system's export that `import` reads
// (quoted fields with commas, quotes and line breaks inside, CRLF or LF, a UTF-8 BOM). Pure:
// reads from any stream, no files here. What optgatectl writes goes through
// core/csv_field.hpp, as all CSV optgate writes.
#pragma once

#include <cstddef>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace optgate::ctl {

struct csv_record {
    std::size_t line = 0;  // the physical line it starts on, from 1
    std::vector<std::string> fields;
    std::string error;  // set when the record is malformed: skip it, report the line
};

// Reads one record at a time, so that a file of a million rows is never held as rows.
// Blank lines are skipped. A quote inside an unquoted field is kept as a character (as
// spreadsheets write it); text after a closing quote, or a quoted field still open at the end
// of the input, makes the record malformed, and reading resumes on the next line.
class csv_reader {
  public:
    explicit csv_reader(std::istream& in);
    std::optional<csv_record> next();

  private:
    int get();
    int peek();
    void skip_rest_of_line();

    std::streambuf* in_;
    std::size_t line_ = 1;
};

}  // namespace optgate::ctl
