//! What the concurrency lesson's exercise shares with the lesson: the
//! reply type and one request, blocking or as a future. No variant lives
//! here, so an exercise that depends on this crate alone cannot call one.
#![deny(missing_docs)]

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One answered request.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Reply {
    /// The request's id.
    pub id: u64,
    /// What the server said about it.
    pub body: String,
}

// ANCHOR: fetch
/// One request, blocking the calling thread: connect, send `GET <id>`,
/// read the reply until the server closes. Every step is bounded by
/// `limit`.
pub fn fetch_blocking(addr: SocketAddr, id: u64, limit: Duration) -> io::Result<Reply> {
    let mut stream = TcpStream::connect_timeout(&addr, limit)?;
    stream.set_read_timeout(Some(limit))?;
    stream.set_write_timeout(Some(limit))?;
    stream.write_all(format!("GET {id}\n").as_bytes())?;
    let mut text = String::new();
    // `take` bounds the reply: the server's is one short line.
    (&mut stream).take(256).read_to_string(&mut text)?;
    parse(id, &text)
}

/// The same request as a future: it waits without holding a thread, so
/// thousands can wait at once. The whole request is bounded by `limit`.
pub async fn fetch(addr: SocketAddr, id: u64, limit: Duration) -> io::Result<Reply> {
    let request = async {
        let mut stream = tokio::net::TcpStream::connect(addr).await?;
        stream.write_all(format!("GET {id}\n").as_bytes()).await?;
        let mut text = String::new();
        (&mut stream).take(256).read_to_string(&mut text).await?;
        parse(id, &text)
    };
    tokio::time::timeout(limit, request)
        .await
        .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, format!("request {id} timed out")))?
}

/// The reply to request `id`, or why there is none.
fn parse(id: u64, text: &str) -> io::Result<Reply> {
    let line = text.trim_end();
    match line.split_once(' ') {
        Some(("OK", rest)) => match rest.split_once(' ') {
            Some((got, body)) if got.parse() == Ok(id) => Ok(Reply {
                id,
                body: body.to_owned(),
            }),
            _ => Err(io::Error::other(format!(
                "reply to {id} names another request: {line}"
            ))),
        },
        Some(("ERR", _)) => Err(io::Error::other(format!("the server failed request {id}"))),
        _ if line.is_empty() => Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            format!("no reply to request {id}"),
        )),
        _ => Err(io::Error::other(format!("bad reply to {id}: {line}"))),
    }
}
// ANCHOR_END: fetch
