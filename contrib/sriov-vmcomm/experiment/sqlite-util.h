/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// SQLite utilities of the results database (internal to ResultsDb; not part of the module's
// API): errors naming the file, statements run without parameters, prepared statements with
// bound values, and IMMEDIATE transactions, each released on destruction (RAII).
#ifndef SQLITE_UTIL_H
#define SQLITE_UTIL_H

#include <sqlite3.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace ns3 {
namespace sqlite {

/**
 * \param path database file name
 * \param what what was being done
 * \param db the connection (for its error message), may be null
 * \returns an exception naming the file, the step and SQLite's message
 */
std::runtime_error Error(const std::string& path, const std::string& what, sqlite3* db);

/**
 * Run SQL without parameters (pragmas, transaction control, the constant schema).
 * \param db connection
 * \param path file name for messages
 * \param sql the SQL, one or more statements
 * \throws std::runtime_error naming the file, the SQL and SQLite's message
 */
void Exec(sqlite3* db, const std::string& path, const char* sql);

/// A prepared statement, finalized on destruction; every value is bound, never pasted.
class Statement
{
  public:
    /**
     * \param db connection
     * \param path file name for messages
     * \param sql one SQL statement
     * \throws std::runtime_error if it does not compile or holds more than one statement
     */
    Statement(sqlite3* db, const std::string& path, const std::string& sql);
    ~Statement();

    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    /// Bind an integer to parameter i (1-based). \returns this
    Statement& Bind(int i, int64_t v);
    /// Bind an unsigned integer (SQLite integers are signed 64-bit). \returns this
    Statement& Bind(int i, uint64_t v);
    /// Bind a double. \returns this
    Statement& Bind(int i, double v);
    /// Bind text. \returns this
    Statement& Bind(int i, const std::string& v);
    /// Bind NULL. \returns this
    Statement& BindNull(int i);
    /// Bind text, or NULL if it is empty. \returns this
    Statement& BindOrNull(int i, const std::string& v);

    /// Step once. \returns true if a row is available, false when done
    bool Step();
    /// Run to completion and make the statement ready for new bindings.
    void Run();

    /// \returns the raw statement, for reading columns
    sqlite3_stmt* Get() const
    {
        return m_stmt;
    }

  private:
    /// Throw unless rc is SQLITE_OK.
    void Check(int rc, const char* what) const;

    sqlite3* m_db;        //!< connection
    std::string m_path;   //!< file name for messages
    sqlite3_stmt* m_stmt; //!< the statement
};

/// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless committed.
class Transaction
{
  public:
    /**
     * Take the write lock now (IMMEDIATE), so that concurrent writers wait in the busy
     * handler instead of failing later on a lock upgrade.
     * \param db connection
     * \param path file name for messages
     */
    Transaction(sqlite3* db, const std::string& path);
    /// Roll back unless committed.
    ~Transaction();

    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    /// Commit; on failure the destructor rolls back.
    void Commit();

  private:
    sqlite3* m_db;      //!< connection
    std::string m_path; //!< file name for messages
    bool m_open;        //!< true while the transaction must be rolled back on destruction
};

} // namespace sqlite
} // namespace ns3

#endif /* SQLITE_UTIL_H */
