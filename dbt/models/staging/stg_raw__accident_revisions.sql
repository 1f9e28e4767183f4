-- Every revision of every accident as loaded. fct_accident_revisions orders them by the day their files were
-- received, so that a build orders only the accidents later loads revised.
with source as (
    select * from {{ source('raw', 'accidents') }}
),

renamed as (
    select
        accident_id,
        cast(occurred_at as timestamp) as occurred_at,
        cast(reported_at as timestamp) as reported_at,
        region_code,
        industry as industry_code,
        accident_type as accident_type_code,
        enterprise_name,
        credit_code,
        cast(deaths as integer) as deaths,
        cast(coalesce(missing, 0) as integer) as missing,
        cast(coalesce(serious_injuries, 0) as integer) as serious_injuries,
        cast(coalesce(injuries, 0) as integer) as injuries,
        cast(coalesce(direct_loss, 0) as decimal(18, 2)) as direct_loss_yuan,
        grade as reported_grade_code,
        coalesce(written_off, false) as is_written_off,
        coalesce(concealed, false) as is_concealed,
        description,
        _load_id as load_id,
        _file_name as file_name,
        _file_sha256 as file_sha256,
        _row_number as source_row_number,
        _loaded_at as loaded_at
    from source
)

select * from renamed
