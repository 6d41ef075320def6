/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Thin RAII wrappers of the SQLite C API: statements, transactions, errors (see sqlite-util.h).
 */
// SQLite utilities of the results database: errors, Exec, Statement and Transaction.
#include "sqlite-util.h"

#include <cctype>

namespace ns3 {
namespace sqlite {

std::runtime_error
Error(const std::string& path, const std::string& what, sqlite3* db)
{
    std::string msg = "results database " + path + ": " + what;
    if (db != nullptr)
    {
        msg += ": ";
        msg += sqlite3_errmsg(db);
    }
    return std::runtime_error(msg);
}

void
Exec(sqlite3* db, const std::string& path, const char* sql)
{
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK)
    {
        std::string msg = "results database " + path + ": " + sql + ": "
                        + (err != nullptr ? err : sqlite3_errmsg(db));
        sqlite3_free(err);
        throw std::runtime_error(msg);
    }
}

Statement::Statement(sqlite3* db, const std::string& path, const std::string& sql)
    : m_db(db)
    , m_path(path)
    , m_stmt(nullptr)
{
    const char* tail = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &m_stmt, &tail) != SQLITE_OK)
    {
        throw Error(path, "preparing \"" + sql + "\"", db);
    }
    for (; tail != nullptr && *tail != '\0'; ++tail)
    {
        if (!std::isspace(static_cast<unsigned char>(*tail)) && *tail != ';')
        {
            throw std::runtime_error("results database " + path
                                     + ": more than one SQL statement in \"" + sql + "\"");
        }
    }
    if (m_stmt == nullptr)
    {
        throw std::runtime_error("results database " + path + ": empty SQL statement");
    }
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

Statement&
Statement::Bind(int i, int64_t v)
{
    Check(sqlite3_bind_int64(m_stmt, i, v), "binding");
    return *this;
}

Statement&
Statement::Bind(int i, uint64_t v)
{
    return Bind(i, static_cast<int64_t>(v));
}

Statement&
Statement::Bind(int i, double v)
{
    Check(sqlite3_bind_double(m_stmt, i, v), "binding");
    return *this;
}

Statement&
Statement::Bind(int i, const std::string& v)
{
    Check(sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT),
          "binding");
    return *this;
}

Statement&
Statement::BindNull(int i)
{
    Check(sqlite3_bind_null(m_stmt, i), "binding");
    return *this;
}

Statement&
Statement::BindOrNull(int i, const std::string& v)
{
    if (v.empty())
    {
        return BindNull(i);
    }
    return Bind(i, v);
}

bool
Statement::Step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
    {
        return true;
    }
    if (rc == SQLITE_DONE)
    {
        return false;
    }
    throw Error(m_path, std::string("executing \"") + sqlite3_sql(m_stmt) + "\"", m_db);
}

void
Statement::Run()
{
    while (Step())
    {
    }
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

void
Statement::Check(int rc, const char* what) const
{
    if (rc != SQLITE_OK)
    {
        throw Error(m_path, what, m_db);
    }
}

Transaction::Transaction(sqlite3* db, const std::string& path)
    : m_db(db)
    , m_path(path)
    , m_open(false)
{
    Exec(m_db, m_path, "BEGIN IMMEDIATE");
    m_open = true;
}

Transaction::~Transaction()
{
    if (m_open)
    {
        // Errors are ignored: SQLite may already have rolled back (e.g. after SQLITE_FULL).
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
}

void
Transaction::Commit()
{
    Exec(m_db, m_path, "COMMIT");
    m_open = false;
}

} // namespace sqlite
} // namespace ns3
