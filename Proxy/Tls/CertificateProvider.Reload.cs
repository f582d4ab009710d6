namespace GradientNode.Proxy.Tls;

/// <summary>The re-reads of <see cref="CertificateProvider"/>: on demand (SIGHUP, renewal) and after a watched change, with its grace.</summary>
internal sealed partial class CertificateProvider
{
    /// <summary>
    /// Re-reads every source; a source that fails keeps its previous certificate. Never throws. The folders are
    /// watched anew first: a folder deleted and made again (a deploy that replaces it) is a new inode that the old
    /// watch no longer sees.
    /// </summary>
    public void Reload(string reason) => Reload(reason, hold: false);

    /// <summary>
    /// The re-read after a watched change: as <see cref="Reload(string)"/>, but a bad file it finds is not said yet. The
    /// files are read once more <see cref="ProxyTlsOptions.RejectionGrace"/> later, and that re-read says what is still
    /// bad: replacing a pair writes two files (cert first, or key first), and the first write alone does not match the
    /// other file, so a routine renewal logged an error between the two copies. What is good in the first re-read is
    /// served at once; what is bad keeps its previous certificate, as always.
    /// </summary>
    internal void ReloadAfterChange() => Reload(ChangedReason, hold: _options.RejectionGrace > TimeSpan.Zero);

    private const string ChangedReason = "certificate file changed";

    private void Reload(string reason, bool hold)
    {
        Watch();
        lock (_reload)
        {
            _held = hold ? [] : null;
            _rejectedNow = hold ? null : [];
            try
            {
                var rejectedBefore = _rejections;
                var next = Load(_current, strict: false);
                NoteRejections();
                var clean = _rejections == rejectedBefore && _held is not { Count: > 0 };
                if (!SameCertificates(_current, next))
                {
                    _current = next;
                    _onDemand?.Reset();
                    Generation++;
                    LogReloaded(_logger, reason, Describe(next));
                    WarnIfDomainUncovered(next);
                    Published(next);
                }
                else
                {
                    if (_namesStale)
                    {
                        // The same certificates; the node's warning on the renewal came or went.
                        _namesStale = false;
                        WriteNames(Names(_current));
                    }

                    if (clean && _rejectedSinceGood)
                    {
                        // The good files are back (the same ones that kept serving): say so, or the rejection stays the last word.
                        LogGoodAgain(_logger, Describe(next));
                    }
                }

                if (clean)
                {
                    _rejectedSinceGood = false;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or CertificateLoadException)
            {
                Rejected(ex.Message);
                NoteRejections();
                if (_namesStale)
                {
                    _namesStale = false;
                    WriteNames(Names(_current));
                }
            }
            finally
            {
                _rejectedNow = null;
                if (_held is { Count: > 0 } held)
                {
                    LogRejectionHeld(_logger, held.Count, _options.RejectionGrace, string.Join("; ", held));
                    _settle?.Change(_options.RejectionGrace, Timeout.InfiniteTimeSpan);
                }

                _held = null;
            }
        }
    }

    /// <summary>
    /// Logs a rejected file (event 6002) and remembers it, so that the re-read that finds every file good again says so;
    /// in a held re-read (<see cref="ReloadAfterChange"/>) only notes it, for the re-read after the grace to say.
    /// </summary>
    private void Rejected(string error)
    {
        if (_held is { } held)
        {
            held.Add(error);
            return;
        }

        Interlocked.Increment(ref _rejections);
        _rejectedSinceGood = true;
        _rejectedNow?.Add(error);
        LogRejected(_logger, error);
    }

    /// <summary>The most rejected files the node's warning names one by one; the rest are counted.</summary>
    private const int MaxRejectionsNamed = 5;

    /// <summary>
    /// After a re-read that says what it found (not one held for the grace, whose bad files are said after it): the node's
    /// warning (<see cref="Core.Routing.TlsNames.Rejected"/>, in <c>gradient-node node</c> and the console) names the files
    /// this re-read rejected, or goes once every file is good. Before, only the journal said it (event 6002): a renewal that
    /// wrote a wrong key went unseen while the old certificate served on, until it expired and every client refused it.
    /// </summary>
    private void NoteRejections()
    {
        if (_held is { Count: > 0 })
        {
            return;
        }

        var line = _rejectedNow is { Count: > 0 } errors
            ? "https: certificate files were rejected, so the certificates read before them keep serving (until they expire): "
                + string.Join("; ", errors.Take(MaxRejectionsNamed))
                + (errors.Count > MaxRejectionsNamed ? $"; and {errors.Count - MaxRejectionsNamed} more (the proxy's log, event 6002, names them)" : string.Empty)
                + "; put good files in place: they are read again at each change"
            : null;
        _namesStale |= !string.Equals(line, _rejectedLine, StringComparison.Ordinal);
        _rejectedLine = line;
    }

    /// <summary>What <see cref="Core.Routing.TlsNamesFile"/> says of <paramref name="set"/>, with the node's current TLS warnings.</summary>
    private Core.Routing.TlsNames Names(CertificateSet set) =>
        CertificateCoverage.Of(set, _options.UsesNodeAuthority) with { RenewalNotWritten = _renewalLine, Rejected = _rejectedLine };
}
