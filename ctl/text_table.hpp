// Rows printed as aligned columns for a person at a terminal (get, history, link); scripts
// use --json or CSV instead.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace optgate::ctl {

class text_table {
  public:
    explicit text_table(std::vector<std::string> headings);
    void add(std::vector<std::string> row);
    void print(std::ostream& out) const;

  private:
    std::vector<std::vector<std::string>> rows_;  // the headings first
};

}  // namespace optgate::ctl
